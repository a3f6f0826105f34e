from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "ledger"
    verbose_name = "监察账本"

    def ready(self):
        from core import ticks

        from .roots import fix_roots

        ticks.register("ledger.fix_roots", fix_roots)
