from django import template
from django.utils import timezone

from ..status import calendar_warning

register = template.Library()


@register.simple_tag
def calendar_warning_today():
    """The calendar warning for today's local date, or None."""
    return calendar_warning(timezone.localdate())
