from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("系统核心")

    def ready(self):
        from django.urls import register_converter

        from . import bulk  # noqa: F401  (registers the `anyof` lookup)
        from .urlkeys import KeyConverter

        register_converter(KeyConverter, "key")  # every URL that carries a stored key: see core/urlkeys.py
