from django.contrib import admin
from django.urls import include, path

from .api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("core.urls")),
    path("", include("cases.urls")),
    path("", include("supervision.urls")),
    path("", include("complaints.urls")),
    path("", include("evaluations.urls")),
    path("", include("video.urls")),
    path("", include("performance.urls")),
    path("", include("insight.urls")),
    path("", include("accountability.urls")),
    path("", include("portal.urls")),
]
