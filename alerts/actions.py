"""Writing alerts: raising them from rule findings in bulk, and changing their status with a row."""
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext as _

from core import bulk
from core.audit import actor_name, actor_user
from ledger import chain

from .models import LEVEL_RANK, Alert, AlertChange, AlertStatus, Contest

# Sent after alerts were withdrawn (alert_ids=[pk], at, note): supervision closes the urges that
# covered only withdrawn alerts, without this module knowing urges.
withdrawn = Signal()


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
    decided = decide_alerts(specs, existing)
    write_alerts(decided)
    return decided.new


@dataclass
class Decided:
    """What sync_alerts decided, in memory: the alerts to create (no pk yet) and the existing ones a
    rule closes now [(alert, its status before)]."""
    new: list
    to_close: list


def decide_alerts(specs, existing):
    """sync_alerts' decision without writing it: new alerts built, closings set on the existing ones
    (status and closed_at). The engine decides before it writes its case rows (each holds its alert
    level), then writes the alerts with write_alerts."""
    new, to_close = [], []
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
        elif spec.closed_at and alert.status not in (AlertStatus.CLOSED, AlertStatus.WITHDRAWN):
            to_close.append((alert, alert.status))
            alert.status, alert.closed_at = AlertStatus.CLOSED, spec.closed_at
    return Decided(new, to_close)


def write_alerts(decided):
    """Write what decide_alerts decided: the new alerts with their 'raised' (and 'closed by rule') rows,
    the closings with theirs."""
    new, to_close, new_changes = decided.new, decided.to_close, []
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
    bulk.insert(AlertChange, new_changes, ids=True)
    chain.append_objects(AlertChange, new_changes)


@dataclass
class Reconciled:
    """What recompute decided for stored alerts after comparing them with the clock's findings on the
    full history (cases.projection._reconcile); written by write_reconciled in bulk."""
    withdraw: list = field(default_factory=list)  # [(alert, note)]
    move: list = field(default_factory=list)  # [(alert, new raised_at, note)]
    reopen: list = field(default_factory=list)  # [(alert, spec)]: withdrawn, and found again
    contest: list = field(default_factory=list)  # [(alert, detail, note)]
    settle: list = field(default_factory=list)  # [(alert, note)]: a pending contest no longer asked for

    def __bool__(self):
        return bool(self.withdraw or self.move or self.reopen or self.contest or self.settle)


def write_reconciled(plan, now):
    """Store what `plan` decided: the alerts' new status, raised_at or contest, one AlertChange row each
    (at `now`, by the system). Alerts are never deleted. Tells supervision which were withdrawn."""
    store_reconciled(apply_reconciled(plan, now))


RECONCILED_FIELDS = ("closed_at", "contest", "contest_detail", "raised_at", "status")


@dataclass
class Applied:
    """A reconcile plan applied to its alerts in memory: their change rows and the alerts changed."""
    plan: Reconciled
    now: datetime
    rows: list
    changed: list


def apply_reconciled(plan, now):
    """write_reconciled's changes made to the alerts in memory, with their change rows, not yet written
    (the engine applies them before it writes its case rows, which hold the alert level)."""
    rows, changed = [], []
    for alert, note in plan.withdraw:
        rows.append(_row(alert, alert.status, now, AlertStatus.WITHDRAWN, alert.level, alert.level, note))
        alert.status, alert.contest, alert.contest_detail = AlertStatus.WITHDRAWN, Contest.NONE, {}
        changed.append(alert)
    for alert, raised_at, note in plan.move:
        rows.append(_row(alert, alert.status, now, alert.status, alert.level, alert.level, note))
        alert.raised_at, alert.contest, alert.contest_detail = raised_at, Contest.NONE, {}
        changed.append(alert)
    for alert, spec in plan.reopen:
        status = AlertStatus.CLOSED if spec.closed_at else AlertStatus.OPEN
        rows.append(_row(alert, alert.status, now, status, alert.level, alert.level, _("重新触发：完整记录再次构成此告警")))
        alert.status, alert.raised_at, alert.closed_at = status, spec.raised_at, spec.closed_at
        alert.contest, alert.contest_detail = Contest.NONE, {}
        changed.append(alert)
    for alert, detail, note in plan.contest:
        rows.append(_row(alert, alert.status, now, alert.status, alert.level, alert.level, note))
        alert.contest, alert.contest_detail = Contest.PENDING, detail
        changed.append(alert)
    for alert, note in plan.settle:
        rows.append(_row(alert, alert.status, now, alert.status, alert.level, alert.level, note))
        alert.contest, alert.contest_detail = Contest.NONE, {}
        changed.append(alert)
    return Applied(plan, now, rows, changed)


def store_reconciled(applied):
    """Write an applied plan: the alerts' fields, their change rows; tell who listens which were withdrawn."""
    plan, now, rows, changed = applied.plan, applied.now, applied.rows, applied.changed
    bulk.update(Alert, [bulk.build(Alert, id=a.pk, **{f: getattr(a, f) for f in RECONCILED_FIELDS}) for a in changed],
                list(RECONCILED_FIELDS))
    bulk.insert(AlertChange, rows, ids=True)
    chain.append_objects(AlertChange, rows)
    if plan.withdraw:
        withdrawn.send(sender=Alert, alert_ids=[a.pk for a, _ in plan.withdraw], at=now,
                       notes={a.pk: note for a, note in plan.withdraw})


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
    chain.append_objects(AlertChange, AlertChange.objects.bulk_create(rows))


def state_as_of(changes, as_of):
    """(status, level) of an alert at `as_of`, from its change rows sorted by time; None if not yet raised."""
    state = None
    for change in changes:
        if change.at > as_of:
            break
        state = (change.to_status, change.to_level)
    return state
