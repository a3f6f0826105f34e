"""Writing to the audit ledger. Every configuration change and every supervised change calls record()."""
import threading

from django.core.signals import request_finished, request_started

from .models import AuditEntry

_names = threading.local()  # .known: {user id: name} while a request is served (a history names few people)


def _serving(**kwargs):
    _names.known = {}


def _served(**kwargs):
    _names.known = None


request_started.connect(_serving, dispatch_uid="core.audit.names")
request_finished.connect(_served, dispatch_uid="core.audit.names")


def actor_user(actor):
    """The User behind an actor, or None for a system process. An actor is a User, a string naming a
    system process ("import_catalog", "supervise") or None — the same everywhere a change is recorded."""
    return actor if getattr(actor, "pk", None) else None


def actor_name(actor):
    """How a change row names its actor: the user name, else the process name, else "system"."""
    user = actor_user(actor)
    return user.get_username() if user else (actor or "system")


def display_name(user_id, fallback=""):
    """The name people read for a user: the staff member's name, else the account's full name, else the
    log-in name (`fallback` when the user is gone). Change logs show this, never a log-in name
    (core.templatetags.vocab.actor)."""
    from django.contrib.auth import get_user_model

    known = getattr(_names, "known", None)  # one look-up per person and request, not per history row
    if known is not None and user_id in known:
        return known[user_id] or fallback
    row = get_user_model().objects.filter(pk=user_id).values_list(
        "staff__name", "first_name", "last_name", "username").first()
    name = ""
    if row is not None:
        staff, first, last, username = row
        chinese = any("\u3400" <= ch <= "\u9fff" for ch in first + last)  # 巴特尔 (family name first), John Smith
        name = staff or (f"{last}{first}" if chinese else f"{first} {last}").strip() or username
    if known is not None:
        known[user_id] = name
    return name or fallback


def record(actor, action, obj_type, obj_id, *, before=None, after=None, reason=""):
    return AuditEntry.objects.create(
        actor=actor_user(actor), actor_name=actor_name(actor), action=action, object_type=obj_type, object_id=str(obj_id),
        before=before, after=after, reason=reason,
    )


def record_unmasked(actor, object_type, object_id, reason):
    """An audit entry for one view of a person's identifiers unmasked (ID number, phone): the same
    action, `view_unmasked`, wherever it happens (docs/workbench.md)."""
    return record(actor, "view_unmasked", object_type, object_id, reason=reason)


def record_change(model, subject, old, *, actor, at, note="", save=True, **fields):
    """A `model` row (a core.models.ChangeRow) for `subject` moved from state `old` to its state now,
    by `actor` at `at`, saved unless save=False (for bulk_create). `fields`: the row's own extra fields."""
    state = model.state_field
    row = model(**{model.record_field: subject, f"from_{state}": old, f"to_{state}": getattr(subject, state)},
                at=at, actor=actor_user(actor), actor_name=actor_name(actor), note=note, **fields)
    if save:
        row.save()
    return row
