from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("督办与监察中心")

    def ready(self):
        from django.urls import reverse

        from alerts.actions import withdrawn
        from alerts.subjects import register_subject
        from alerts.vocab import register_details, register_rules
        from cases.projection import projected
        from core import ticks
        from ledger import chain
        from ledger.verify import checked

        from .actions import on_alerts_withdrawn
        from .ledger_alert import RULE as LEDGER_RULE
        from .ledger_alert import SUBJECT as LEDGER_SUBJECT
        from .ledger_alert import on_ledger_checked
        from .models import UrgeChange
        from .tally import on_projected
        from .ticks import escalate_overdue_urges

        ticks.register("supervision.escalate", escalate_overdue_urges)
        # ledgered (docs/ledger.md); actor_name keeps who acted if the user is deleted (actor set NULL)
        chain.register(UrgeChange, exclude=("actor_id",), on_create=True)
        # a failed verify_ledger: a red alert to the League centre on the subject "the ledger" (ledger_alert)
        checked.connect(on_ledger_checked, dispatch_uid="supervision.ledger_alert")
        register_rules({LEDGER_RULE: _("监察账本核验不一致")})
        register_subject(LEDGER_SUBJECT, _("监察账本"), lambda alert: reverse("ledger:roots"))
        register_details([gettext_noop("监察账本核验发现 %(n)d 处不一致（%(at)s），记录可能被绕过系统改动，请立即核查")])
        projected.connect(on_projected, dispatch_uid="supervision.tally")
        withdrawn.connect(on_alerts_withdrawn, dispatch_uid="supervision.withdrawn_urges")
