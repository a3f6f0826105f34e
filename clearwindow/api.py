"""The JSON API at /api/v1/ (OpenAPI 3 at /api/v1/openapi.json, browsable docs at /api/v1/docs).
Each app owns a router; this module is the only place that knows them all."""
from ninja import NinjaAPI

from cases.api import router as cases_router
from supervision.api import router as supervision_router

api = NinjaAPI(
    title="ClearWindow 行政效能电子监察 API",
    version="1",
    description="Event exchange, cases, alerts and urges. Authenticate with `Authorization: Bearer <key>` "
                "(integration clients) or a staff session.",
    urls_namespace="api",
)
api.add_router("/", cases_router)
api.add_router("/", supervision_router)
