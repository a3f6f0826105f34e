"""Writing to the audit ledger. Every configuration change and every supervised change calls record()."""
from .models import AuditEntry


def record(actor, action, obj_type, obj_id, *, before=None, after=None, reason=""):
    """actor: a User, a string naming a system process ("import_catalog", "supervise"), or None."""
    user = actor if getattr(actor, "pk", None) else None
    name = actor.get_username() if user else (actor or "system")
    return AuditEntry.objects.create(
        actor=user, actor_name=name, action=action, object_type=obj_type, object_id=str(obj_id),
        before=before, after=after, reason=reason,
    )
