"""The JSON API at /api/v1/ (OpenAPI 3 at /api/v1/openapi.json, browsable docs at /api/v1/docs).
Each app owns a router; this module is the only place that knows them all."""
from ninja import NinjaAPI
from ninja.parser import Parser

from cases.api import router as cases_router
from complaints.api import router as complaints_router
from accountability.api import router as accountability_router
from evaluations.api import router as evaluations_router
from performance.api import router as performance_router
from supervision.api import router as supervision_router
from video.api import router as video_router

from core.jsontext import parse
from core.middleware import bad_param_response
from core.params import BadParam


class JSONParser(Parser):
    """Request bodies read by core.jsontext: orjson (half of json.loads's time on a batch of
    events), and NaN or Infinity refused as unreadable (400) like any other malformed JSON."""

    def parse_body(self, request):
        return parse(request.body)


api = NinjaAPI(
    parser=JSONParser(),
    title="ClearWindow 行政效能电子监察 API",
    version="1",
    description="Event exchange, cases, alerts and urges, complaints, evaluations, video. Authenticate with "
                "`Authorization: Bearer <key>` (integration clients) or a staff session.",
    urls_namespace="api",
)
api.add_exception_handler(BadParam, lambda request, exc: bad_param_response(request, exc))  # 400 naming it
for router in (cases_router, supervision_router, complaints_router, evaluations_router, video_router,
               performance_router, accountability_router):
    api.add_router("/", router)
