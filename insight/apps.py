from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "insight"
    verbose_name = "办件洞察"

    def ready(self):
        from core import facts, ticks

        from .forecast import breach_probability, case_forecast, refresh_tick
        from .views import top
        from .where import where_tick

        ticks.register("insight.forecast", refresh_tick)
        ticks.register("insight.where", where_tick)
        facts.register("case.breach_probability", breach_probability)
        facts.register("case.forecast", case_forecast)
        facts.register("centre.likely", top)
