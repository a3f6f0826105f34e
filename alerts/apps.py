from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("告警")

    def ready(self):
        from core import ticks
        from ledger import chain

        from .models import AlertChange

        ACTOR = ("actor_id",)  # set NULL if the user is deleted: actor_name keeps who it was

        from .ticks import send_pending_mail

        ticks.register("alerts.send_mail", send_pending_mail)
        chain.register(AlertChange, exclude=ACTOR)  # every change of an alert is a ledgered record (docs/ledger.md)
