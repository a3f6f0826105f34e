"""Writing alerts: raising them from rule findings in bulk, and changing their status with a row."""
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from core import bulk
from core.audit import actor_name, actor_user

from .models import Alert, AlertChange, AlertStatus, LEVEL_RANK


@dataclass(frozen=True)
class AlertSpec:
    """What a rule found, for one subject: the alert that should exist."""

    subject_type: str
    subject_key: str
    rule: str
    step: str
    level: str
    raised_at: datetime
    detail: str
    department_id: int | None
    region_id: str
    centre_id: int | None
    closed_at: datetime | None = None  # set when the rule closes it by itself (e.g. DUE_SOON)

    @property
    def key(self):
        return (self.subject_type, self.subject_key, self.rule, self.step)


SYSTEM = "system"
CLOSED_BY_RULE = "closed by rule"  # the note of a change row made when a rule closes its own alert


def sync_alerts(specs, existing):
    """Make the alerts of `specs` exist. `existing` maps key -> Alert (or anything with its pk, status,
    level and closed_at) for the same subjects, loaded by the caller in one query. New alerts are
    created with a 'raised' row; alerts a rule now closes by itself get closed with a row. Alerts are
    never deleted and a raised alert is never un-raised. Returns the list of newly created alerts."""
    new, new_changes, to_close = [], [], []
    for spec in specs:
        alert = existing.get(spec.key)
        if alert is None:
            alert = bulk.build(
                Alert, subject_type=spec.subject_type, subject_key=spec.subject_key, rule=spec.rule, step=spec.step,
                level=spec.level, raised_at=spec.raised_at, detail=spec.detail[:300],
                department_id=spec.department_id, region_id=spec.region_id, centre_id=spec.centre_id,
            )
            new.append(alert)
            if spec.closed_at:
                alert.status, alert.closed_at = AlertStatus.CLOSED, spec.closed_at
        elif spec.closed_at and alert.status != AlertStatus.CLOSED:
            to_close.append((alert, alert.status))
            alert.status, alert.closed_at = AlertStatus.CLOSED, spec.closed_at
    bulk.insert(Alert, new, ids=True)
    for alert in new:
        new_changes.append(_row(alert, "", alert.raised_at, AlertStatus.OPEN, "", alert.level, "raised"))
        if alert.status == AlertStatus.CLOSED:
            new_changes.append(_row(alert, AlertStatus.OPEN, alert.closed_at, AlertStatus.CLOSED, alert.level,
                                    alert.level, CLOSED_BY_RULE))
    for alert, old_status in to_close:
        new_changes.append(_row(alert, old_status, alert.closed_at, AlertStatus.CLOSED, alert.level,
                                alert.level, CLOSED_BY_RULE))
    closing = [bulk.build(Alert, id=a.pk, status=a.status, closed_at=a.closed_at) for a, _ in to_close]
    bulk.update(Alert, closing, ["status", "closed_at"])
    bulk.insert(AlertChange, new_changes)
    return new


def _row(alert, from_status, at, to_status, from_level, to_level, note, actor=None):
    user = actor_user(actor)
    return bulk.build(
        AlertChange, alert_id=alert.pk, at=at, actor_id=user.pk if user else None,
        actor_name=actor_name(actor or SYSTEM), from_status=from_status, to_status=to_status,
        from_level=from_level, to_level=to_level, note=note,
    )


@transaction.atomic
def do_change_alerts(alerts, *, to_status=None, to_level=None, at, actor, note="", centre=None):
    """Move alerts to a status and/or level, one AlertChange row each."""
    rows = []
    for alert in alerts:
        old_status, old_level = alert.status, alert.level
        if to_status:
            alert.status = to_status
            alert.closed_at = at if to_status == AlertStatus.CLOSED else None
        if to_level and LEVEL_RANK[to_level] > LEVEL_RANK[alert.level]:
            alert.level = to_level
        if centre is not None:
            alert.centre, alert.escalated = centre, True
        rows.append(_row(alert, old_status, at, alert.status, old_level, alert.level, note, actor))
    bulk.update(Alert, alerts, ["status", "closed_at", "level", "centre", "escalated"])
    AlertChange.objects.bulk_create(rows)


def state_as_of(changes, as_of):
    """(status, level) of an alert at `as_of`, from its change rows sorted by time; None if not yet raised."""
    state = None
    for change in changes:
        if change.at > as_of:
            break
        state = (change.to_status, change.to_level)
    return state
