from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "workdays"
    verbose_name = _("工作日历")

    def ready(self):
        from django.contrib import admin
        from django.db.models.signals import post_migrate

        from core import ticks

        from .models import seed_after_migrate
        from .ticks import calendar_warning_tick

        # the official holiday calendar is in place after `migrate` alone (docs/calendar.md)
        post_migrate.connect(seed_after_migrate, sender=self, dispatch_uid="workdays.seed_after_migrate")
        ticks.register("workdays.calendar_warning", calendar_warning_tick)
        if admin.site.index_template is None:  # show the calendar warning on the admin index
            admin.site.index_template = "workdays/admin_index.html"
