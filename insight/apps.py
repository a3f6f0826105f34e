from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class InsightConfig(AppConfig):
    name = "insight"
    verbose_name = _("办件洞察")

    def ready(self):
        from core import facts, ticks

        from .forecast import breach_probability, case_forecast
        from .ticks import refresh_tick, where_tick
        from .views.office import top

        ticks.register("insight.forecast", refresh_tick)
        ticks.register("insight.where", where_tick)
        facts.register("case.breach_probability", breach_probability)
        facts.register("case.forecast", case_forecast)
        facts.register("centre.likely", top)

        from alerts.vocab import register_details

        register_details([gettext_noop("预测超期概率 %(p)d%%")])  # forecast.py writes it
