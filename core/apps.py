from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "核心 Core"

    def ready(self):
        from . import bulk  # noqa: F401  (registers the `anyof` lookup)
