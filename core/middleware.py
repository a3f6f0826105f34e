"""Bad query parameters answer 400, never 500 (see core/params.py)."""
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .params import BadParam


def bad_param_response(request, err):
    if request.path.startswith("/api/"):
        with translation.override("en"):
            return JsonResponse({"error": str(err)}, status=400)
    return render(request, "400.html", {"name": err.name, "expected": err.expected}, status=400)


class BadParams:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in v for v in values):
                return bad_param_response(request, BadParam(name.replace("\x00", "\\x00"), _("不能含有空字符 (NUL)")))
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, BadParam):
            return bad_param_response(request, exception)
        return None
