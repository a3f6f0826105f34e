from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "workdays"
    verbose_name = _("工作日历")

    def ready(self):
        from django.contrib import admin

        from core import ticks

        from .ticks import calendar_warning_tick

        ticks.register("workdays.calendar_warning", calendar_warning_tick)
        if admin.site.index_template is None:  # show the calendar warning on the admin index
            admin.site.index_template = "workdays/admin_index.html"
