from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("好差评")

    def ready(self):
        from core.ticks import register
        from ledger import chain

        from .actions import tick_default_ratings, tick_overdue
        from .models import FollowUpChange, Rating

        register("evaluations.rectify_overdue", tick_overdue)
        register("evaluations.default_ratings", tick_default_ratings)

        from alerts.vocab import register_rules

        register_rules({"RECTIFY_OVERDUE": _("差评逾期未整改"), "RATING_BURST_DEVICE": _("评价器疑似刷评"),
                        "RATING_BURST_PHONE": _("手机号疑似刷评"), "RATING_OWN_SERVICE": _("工作人员自评"),
                        "RATING_NO_SERVICE": _("评价无对应办件")})
        # ledgered (docs/ledger.md); actor_name keeps who acted if the user is deleted (actor set NULL)
        chain.register(FollowUpChange, exclude=("actor_id",), on_create=True)
        # a rating as given; left out: what later steps set (the rater's 追评, the burst checks' flags)
        # and the rater's phone (personal data: kept out of the ledger and its exported proofs)
        chain.register(Rating, exclude=("follow_up", "follow_up_at", "flags", "rater_phone", "rater_phone_hash"),
                       on_create=True)
