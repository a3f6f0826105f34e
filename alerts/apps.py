from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"

    def ready(self):
        from core import ticks

        from .notify import send_pending_mail

        ticks.register("alerts.send_mail", send_pending_mail)
