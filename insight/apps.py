from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "insight"
    verbose_name = "办件洞察"

    def ready(self):
        from core import ticks

        from .forecast import refresh_tick

        ticks.register("insight.forecast", refresh_tick)
