"""INSTALLED_APPS names django-axes through this config (a module of its own: two configs in core/apps.py
would leave core without its default one)."""
from axes import apps as axes_apps
from django.utils.translation import gettext_lazy as _


class AxesConfig(axes_apps.AppConfig):
    """django-axes (repeated failed log-ins) with a name in the admin: it has none, so its section read
    "AXES" in both languages. Its own strings have no Chinese: locale/zh_Hans carries them."""
    verbose_name = _("登录防护")
