from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from .api import api

# The admin speaks the system's name, not "Django 管理" (app sections: each app's verbose_name).
admin.site.site_header = _("行政效能电子监察系统 · 系统管理")
admin.site.site_title = _("系统管理")
admin.site.index_title = _("配置与数据管理")

# The apps whose pages sit at the site's root, each under the prefixes its own urls.py names; looked up
# in this order.
APPS = ("core", "cases", "supervision", "complaints", "evaluations", "video", "performance", "insight",
        "accountability", "ledger", "portal")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    *(path("", include(f"{app}.urls")) for app in APPS),
]

# Error pages in the site's frame and the user's language (core.views).
handler403 = "core.views.forbidden"
handler404 = "core.views.not_found"
handler500 = "core.views.server_error"
