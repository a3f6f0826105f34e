"""Writing to the audit ledger. Every configuration change and every supervised change calls record()."""
from .models import AuditEntry


def actor_user(actor):
    """The User behind an actor, or None for a system process. An actor is a User, a string naming a
    system process ("import_catalog", "supervise") or None — the same everywhere a change is recorded."""
    return actor if getattr(actor, "pk", None) else None


def actor_name(actor):
    """How a change row names its actor: the user name, else the process name, else "system"."""
    user = actor_user(actor)
    return user.get_username() if user else (actor or "system")


def record(actor, action, obj_type, obj_id, *, before=None, after=None, reason=""):
    return AuditEntry.objects.create(
        actor=actor_user(actor), actor_name=actor_name(actor), action=action, object_type=obj_type, object_id=str(obj_id),
        before=before, after=after, reason=reason,
    )
