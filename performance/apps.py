from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "performance"
    verbose_name = "绩效考核"

    def ready(self):
        from core import ticks

        from .actions import close_previous_month

        ticks.register("performance.close_month", close_previous_month)
