from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("好差评")

    def ready(self):
        from core.ticks import register
        from ledger import chain

        from .models import FollowUpChange, Rating
        from .ticks import tick_default_ratings, tick_overdue

        register("evaluations.rectify_overdue", tick_overdue)
        register("evaluations.default_ratings", tick_default_ratings)

        from alerts.vocab import register_details, register_rules

        register_rules({"RECTIFY_OVERDUE": _("差评逾期未整改"), "RATING_BURST_DEVICE": _("评价器疑似刷评"),
                        "RATING_BURST_PHONE": _("手机号疑似刷评"), "RATING_OWN_SERVICE": _("工作人员自评"),
                        "RATING_NO_SERVICE": _("评价无对应办件")})

        from alerts.subjects import register_subject

        from .actions import alert_url
        from .models import SUBJECT

        register_subject(SUBJECT, _("评价"), alert_url)
        # the details evaluations.ticks and evaluations.manipulation write (in the worker's language, Chinese)
        register_details([gettext_noop("差评 %(no)s 超过整改期限 %(d)s 仍未整改答复"),
                          gettext_noop("评价器 %(d)s 10 分钟内评价超过 %(n)d 次，疑似刷评"),
                          gettext_noop("手机号 %(p)s 24 小时内评价超过 %(n)d 次，疑似刷评"),
                          gettext_noop("办件 %(no)s：工作人员试图评价本人办理的业务"),
                          gettext_noop("评价器 %(d)s 多次提交没有对应办件的评价")])
        # ledgered (docs/ledger.md); actor_name keeps who acted if the user is deleted (actor set NULL)
        chain.register(FollowUpChange, exclude=("actor_id",), on_create=True)
        # a rating as given; left out: what later steps set (the rater's 追评, the burst checks' flags)
        # and the rater's phone (personal data: kept out of the ledger and its exported proofs)
        chain.register(Rating, exclude=("follow_up", "follow_up_at", "flags", "rater_phone", "rater_phone_hash"),
                       on_create=True)
