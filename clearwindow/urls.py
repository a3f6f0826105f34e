from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from .api import api

# The admin speaks the system's name, not "Django 管理" (app sections: each app's verbose_name).
admin.site.site_header = _("行政效能电子监察系统 · 系统管理")
admin.site.site_title = _("系统管理")
admin.site.index_title = _("配置与数据管理")

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
    path("", include("ledger.urls")),
    path("", include("portal.urls")),
]

# Error pages in the site's frame and the user's language (core.views).
handler403 = "core.views.forbidden"
handler404 = "core.views.not_found"
handler500 = "core.views.server_error"
