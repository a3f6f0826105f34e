from django.contrib.auth import logout, views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from .access import is_office, scope_of
from .roles import Role


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True


@require_POST
def logout_view(request):
    logout(request)
    return redirect("portal:index")


@login_required
def home(request):
    """The back-office start page: what this person's role and scope give them."""
    scope = scope_of(request.user)
    return render(request, "core/home.html", {
        "scope": scope,
        "role_label": Role(scope.role).label if scope.role in Role.values else _("未分配角色"),
        "staff": getattr(request.user, "staff", None),
    })


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    """/favicon.ico, which browsers ask for on every page whatever the page links (the pages link
    static/cw/favicon.svg and .ico too)."""
    path = finders.find("cw/favicon.ico")
    return FileResponse(open(path, "rb"), content_type="image/x-icon")


# -- error pages: styled, in the user's language, inside the site's frame -----------------------------
def _error_frame(request):
    """The frame an error page sits in: the back office's (with the menu of what this person may open)
    for staff, the public site's for everyone else."""
    user = getattr(request, "user", None)
    return "office.html" if getattr(user, "is_authenticated", False) and is_office(user) else "base.html"


def forbidden(request, exception=None):
    """handler403: the page exists but this person may not open it."""
    return render(request, "403.html", {"frame": _error_frame(request)}, status=403)


def not_found(request, exception=None):
    """handler404."""
    return render(request, "404.html", {"frame": _error_frame(request)}, status=404)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent from an expired or foreign page, in words a person can act on."""
    return render(request, "403.html", {"frame": _error_frame(request), "csrf": True}, status=403)


def server_error(request):
    """handler500: rendered without the request's context processors and without the database (either
    may be what failed): the public frame with no data, in the language the request was served in."""
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render({"frame": "base.html"}))
