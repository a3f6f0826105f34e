from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("投诉咨询")

    def ready(self):
        from core import ticks
        from ledger import chain

        from .ticks import tick
        from .models import ComplaintChange, ConsultationChange

        ticks.register("complaints.overdue", tick)

        from alerts.vocab import register_details, register_rules

        register_rules({"COMPLAINT_REGISTER_OVERDUE": _("投诉逾期未登记"), "COMPLAINT_OVERDUE": _("投诉逾期未反馈"),
                        "CONSULTATION_OVERDUE": _("咨询逾期未答复")})

        from django.urls import reverse

        from alerts.subjects import register_subject

        from .actions import CONSULT_SUBJECT, SUBJECT

        register_subject(SUBJECT, _("投诉"), lambda alert: reverse("complaints:detail", args=[alert.subject_key]))
        register_subject(CONSULT_SUBJECT, _("咨询"),
                         lambda alert: reverse("complaints:consultation", args=[alert.subject_key]))
        # the details complaints.rules.complaint_overdue writes
        register_details([gettext_noop("登记期限 %(day)s 已过"), gettext_noop("反馈期限 %(day)s 已过")])
        # ledgered (docs/ledger.md); actor_name keeps who acted if the user is deleted (actor set NULL)
        chain.register(ComplaintChange, exclude=("actor_id",), on_create=True)
        chain.register(ConsultationChange, exclude=("actor_id",), on_create=True)
