from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("投诉咨询")

    def ready(self):
        from core import ticks
        from ledger import chain

        from .actions import tick
        from .models import ComplaintChange, ConsultationChange

        ticks.register("complaints.overdue", tick)

        from alerts.vocab import register_rules

        register_rules({"COMPLAINT_REGISTER_OVERDUE": _("投诉逾期未登记"), "COMPLAINT_OVERDUE": _("投诉逾期未反馈"),
                        "CONSULTATION_OVERDUE": _("咨询逾期未答复")})
        # ledgered (docs/ledger.md); actor_name keeps who acted if the user is deleted (actor set NULL)
        chain.register(ComplaintChange, exclude=("actor_id",), on_create=True)
        chain.register(ConsultationChange, exclude=("actor_id",), on_create=True)
