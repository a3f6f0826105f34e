from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "核心 Core"

    def ready(self):
        from django.urls import register_converter

        from . import bulk  # noqa: F401  (registers the `anyof` lookup)
        from .urlkeys import KeyConverter

        register_converter(KeyConverter, "key")  # every URL that carries a stored key: see core/urlkeys.py
