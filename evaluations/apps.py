from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("好差评")

    def ready(self):
        from core.ticks import register

        from .actions import tick_default_ratings, tick_overdue

        register("evaluations.rectify_overdue", tick_overdue)
        register("evaluations.default_ratings", tick_default_ratings)
