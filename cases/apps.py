from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"

    def ready(self):
        from core import ticks

        from .sweep import sweep

        ticks.register("cases.sweep", sweep)
