from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"

    def ready(self):
        from core import ticks

        from .actions import escalate_overdue_urges

        ticks.register("supervision.escalate", escalate_overdue_urges)
