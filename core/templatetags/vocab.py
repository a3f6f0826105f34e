"""{{ value|choice:"app.models.SomeChoices" }}: the label of a stored code, in the user's language.

For change-history rows whose from/to fields hold codes without field choices (so "— → issued" reads
"— → 已督办"). An empty value is shown as "—"; a value the choices do not know is shown as "—" too,
never as a code."""
from functools import lru_cache

from django import template
from django.utils.module_loading import import_string

register = template.Library()


@lru_cache(maxsize=None)
def _labels(path):
    return dict(import_string(path).choices)


@register.filter
def choice(value, path):
    if value in (None, ""):
        return "—"
    return _labels(path).get(value, "—")


# Change rows written by a process name it (core.audit.actor_name); people read who acted, not the code.
PROCESS_LABELS = {"complainant": "投诉人", "portal": "公众"}


@register.filter
def actor(change):
    """{{ change|actor }}: who acted on a change or access row (one with actor_name and an actor or user
    key): the person's name (core.audit.display_name: staff name, else full name, else log-in name), or
    系统 / 公众 / 投诉人 for a process (never 'system'). Every change history shows its actor through this."""
    from django.utils.translation import gettext

    from core.audit import display_name

    user_id = getattr(change, "actor_id", None) or getattr(change, "user_id", None)
    if user_id:
        return display_name(user_id, change.actor_name)
    return gettext(PROCESS_LABELS.get(change.actor_name, "系统"))
