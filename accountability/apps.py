from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "accountability"

    def ready(self):
        from core import ticks

        from .ticks import overdue_tick

        ticks.register("accountability.overdue", overdue_tick)
