"""The JSON API at /api/v1/ (OpenAPI 3 at /api/v1/openapi.json, browsable docs at /api/v1/docs).
Each app owns a router; this module is the only place that knows them all."""
import json

import orjson
from ninja import NinjaAPI
from ninja.parser import Parser

from cases.api import router as cases_router
from complaints.api import router as complaints_router
from accountability.api import router as accountability_router
from evaluations.api import router as evaluations_router
from performance.api import router as performance_router
from supervision.api import router as supervision_router
from video.api import router as video_router



class JSONParser(Parser):
    """Request bodies parsed by orjson (half of json.loads's time on a batch of events). What orjson
    refuses goes to json.loads, which reads a byte-order mark and UTF-16 as before, but not NaN or
    Infinity: they are not JSON (RFC 8259) and no column can store them, so the body is refused as
    unreadable (400) like any other malformed JSON. An integer beyond 64 bits becomes a float, which
    every numeric field of the API refuses as not a whole number."""

    def parse_body(self, request):
        try:
            return orjson.loads(request.body)
        except orjson.JSONDecodeError:
            return json.loads(request.body, parse_constant=_not_json)


def _not_json(name):
    raise ValueError(f"{name} is not a JSON value")


api = NinjaAPI(
    parser=JSONParser(),
    title="ClearWindow 行政效能电子监察 API",
    version="1",
    description="Event exchange, cases, alerts and urges, complaints, evaluations, video. Authenticate with "
                "`Authorization: Bearer <key>` (integration clients) or a staff session.",
    urls_namespace="api",
)
for router in (cases_router, supervision_router, complaints_router, evaluations_router, video_router,
               performance_router, accountability_router):
    api.add_router("/", router)
