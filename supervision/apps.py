from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("督办与监察中心")

    def ready(self):
        from alerts.actions import withdrawn
        from cases.projection import projected
        from core import ticks
        from ledger import chain
        from ledger.verify import checked

        from .actions import escalate_overdue_urges, on_alerts_withdrawn
        from .ledger_alert import on_ledger_checked
        from .models import UrgeChange
        from .tally import on_projected

        ticks.register("supervision.escalate", escalate_overdue_urges)
        # ledgered (docs/ledger.md); actor_name keeps who acted if the user is deleted (actor set NULL)
        chain.register(UrgeChange, exclude=("actor_id",), on_create=True)
        checked.connect(on_ledger_checked, dispatch_uid="supervision.ledger_alert")
        projected.connect(on_projected, dispatch_uid="supervision.tally")
        withdrawn.connect(on_alerts_withdrawn, dispatch_uid="supervision.withdrawn_urges")
