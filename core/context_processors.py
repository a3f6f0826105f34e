from django.conf import settings

from .access import scope_of


def clearwindow(request):
    return {"cw_scope": scope_of(getattr(request, "user", None)), "SITE_URL": settings.SITE_URL}
