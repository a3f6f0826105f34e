from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = "投诉咨询"

    def ready(self):
        from core import ticks

        from .actions import tick

        ticks.register("complaints.overdue", tick)

        from django.utils.translation import gettext_lazy as _

        from alerts.vocab import register_rules

        register_rules({"COMPLAINT_REGISTER_OVERDUE": _("投诉逾期未登记"), "COMPLAINT_OVERDUE": _("投诉逾期未反馈"),
                        "CONSULTATION_OVERDUE": _("咨询逾期未答复")})
