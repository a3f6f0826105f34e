from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "performance"
    verbose_name = _("绩效考核")

    def ready(self):
        from core import ticks

        from .actions import close_previous_month

        ticks.register("performance.close_month", close_previous_month)
