"""Demo data for insight: the breach forecast, with the notice BREACH_LIKELY switched on, and where the
time goes, computed at once over the history demo_setup ingested, so that 可能超期, 时间去向 and
办理路径, the case pages and the wall show them from the first page opened. It is the worker's first
round (the ticks insight.forecast and insight.where), done by demo_setup instead: the worker then finds
it done. Deterministic: the forecast and the timings depend only on the cases and `now`.

Decision (docs/insight.md, "The rule BREACH_LIKELY"): the rule is off by default in a deployment until
the backtest has been run on that deployment's own history. The demo's history is the generator's, the
very history the backtest was run on (Brier 0.109 against the calendar's 0.168), so the demo switches it
on, at the default threshold — once, when no forecast setting exists yet: an administrator's own setting
is kept when demo_setup runs again.
"""
from core.audit import record

from .models import CaseForecast, ForecastConfig
from .ticks import refresh_tick, where_tick

ACTOR = "demo_setup"


def populate(now):
    switched = 0
    if not ForecastConfig.objects.exists():
        config = ForecastConfig.objects.create(enabled=True)
        record(ACTOR, "forecast_config", "ForecastConfig", config.pk, after=config.snapshot(),
               reason="演示数据：本演示区的历史即回测所用的历史，启用“可能超期”预警")
        switched = 1
    where_tick(now)
    refresh_tick(now)
    threshold = ForecastConfig.current().threshold
    return {"rule switched on": switched, "forecasts": CaseForecast.objects.count(),
            "likely to breach": CaseForecast.objects.not_yet_due().filter(probability__gte=threshold).count()}
