"""The exchange API's own body limit.

Django refuses any body over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) with a 400 HTML page, but a full
batch of 5,000 events is larger (docs/engine.md). For POST /api/v1/events this middleware reads the
body itself up to cases.validate.MAX_BODY_BYTES, and answers a larger one with 413 JSON before
anything reads it; every other request keeps Django's limit. A body over Django's limit is read
only for a valid API key (401 JSON otherwise): no anonymous request makes the server hold more.
"""
from django.conf import settings
from django.http import JsonResponse

from .models import ApiClient
from .validate import MAX_BODY_BYTES

EVENTS_PATH = "/api/v1/events"


class EventsBodyLimit:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path_info.rstrip("/") == EVENTS_PATH:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0  # as Django reads it: no body
            if length > MAX_BODY_BYTES:
                return JsonResponse({"error": f"body: {length:,} bytes; at most {MAX_BODY_BYTES:,} are accepted "
                                              f"(5,000 events within the field limits)"}, status=413)
            if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE and not _known_key(request):
                # only a client with a valid key may make the server hold more than Django's usual limit
                return JsonResponse({"error": "Authorization: missing or wrong API key"}, status=401)
            # read here, within this limit: HttpRequest.body would apply DATA_UPLOAD_MAX_MEMORY_SIZE
            request._body = request.read()
        return self.get_response(request)


def _known_key(request):
    scheme, _, key = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return scheme.lower() == "bearer" and bool(key) and ApiClient.for_key(key.strip()) is not None
