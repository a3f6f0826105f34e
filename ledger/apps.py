from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "ledger"
    verbose_name = _("监察账本")

    def ready(self):
        from core import ticks
        from workdays.models import CalendarRevision

        from . import chain
        from .ticks import fix_roots, verify_tick

        ticks.register("ledger.fix_roots", fix_roots)
        ticks.register("ledger.verify", verify_tick)
        # calendar edits (docs/ledger.md): workdays is on the floor below the ledger, so the ledger registers
        # its revisions (each one: who, when, why, the day's before and after); the actor's id is left out
        # (deleting a user sets it to NULL), actor_name keeps who it was
        chain.register(CalendarRevision, exclude=("actor_id",), on_create=True)
