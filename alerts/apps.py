from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("告警")

    def ready(self):
        from core import ticks

        from .notify import send_pending_mail

        ticks.register("alerts.send_mail", send_pending_mail)
