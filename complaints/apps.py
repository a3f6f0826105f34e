from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("投诉咨询")

    def ready(self):
        from core import ticks

        from .actions import tick

        ticks.register("complaints.overdue", tick)
