from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = "投诉咨询"

    def ready(self):
        from core import ticks

        from .actions import tick

        ticks.register("complaints.overdue", tick)
