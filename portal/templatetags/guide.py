"""Small display helpers for the item guides."""
from django import template
from django.utils.translation import gettext as _

from core.templatetags.cw import working_days

register = template.Library()


@register.filter
def workdays(n):
    """0 → 即办件; n → 'n 个工作日'."""
    if n is None or n == "":
        return ""
    n = int(n)
    if n == 0:
        return _("即办件")
    return working_days(n)


@register.filter
def yuan(amount):
    """A decimal string in yuan → '120.00 元'."""
    if amount in (None, ""):
        return ""
    return _("%(amount)s 元") % {"amount": amount}
