from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "accountability"
    verbose_name = _("问责")

    def ready(self):
        from core import ticks
        from ledger import chain

        from .models import Change
        from .ticks import overdue_tick

        ticks.register("accountability.overdue", overdue_tick)

        from alerts.vocab import register_rules, register_step_labels

        from .ticks import RULE, SUBJECT, stage_step_labels

        register_rules({RULE: _("问责阶段超期")})
        register_step_labels(SUBJECT, stage_step_labels)

        from django.urls import reverse

        from alerts.subjects import register_subject

        register_subject(SUBJECT, _("问责案件"), lambda alert: reverse("accountability:case", args=[alert.subject_key]))
        # every stage change is ledgered (docs/ledger.md); actor_name keeps who acted (actor set NULL)
        chain.register(Change, exclude=("actor_id",), on_create=True)
