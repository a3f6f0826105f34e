from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "performance"
    verbose_name = _("绩效考核")

    def ready(self):
        from django.db.models import Q

        from core import ticks
        from ledger import chain

        from .ticks import close_previous_month
        from .models import Period, PeriodChange, PeriodStatus, Score, ScoreLine

        ticks.register("performance.close_month", close_previous_month)
        # published scores are ledgered when their period is published; every period change too
        chain.register(Score, only=Q(period__status=PeriodStatus.PUBLISHED))
        # what the published bulletins print: the published month itself and its scores' indicator lines
        chain.register(Period, only=Q(status=PeriodStatus.PUBLISHED))
        chain.register(ScoreLine, only=Q(score__period__status=PeriodStatus.PUBLISHED))
        chain.register(PeriodChange, exclude=("actor_id",), on_create=True)  # actor_name keeps who it was
