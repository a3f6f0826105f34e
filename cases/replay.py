"""A case as it stood at any instant: the events up to then, the clock evaluated then, and each
alert's status taken from its change rows up to then."""
from alerts.actions import CLOSED_BY_RULE, state_as_of
from alerts.models import ACTIVE_STATUSES, AlertChange, AlertStatus, highest
from workdays.models import load_calendar
from workdays.zone import tz

from . import clock, rules
from .bulk import load_events
from .projection import item_rules
from .vocab import SUBJECT


def iso(instant):
    return instant.astimezone(tz()).isoformat() if instant else None


def day(d):
    return d.isoformat() if d else None


def state_at(case, as_of):
    """The pure clock's CaseState of `case` at `as_of` (None if the case has no item yet)."""
    if case.item_version_id is None:
        return None
    rows = load_events([case.case_no], until=as_of).get(case.case_no, [])
    return clock.compute(item_rules(case.item_version), rows, load_calendar(), as_of, tz())


_UNSET = object()


def case_as_of(case, as_of, state=_UNSET):
    """The API's view of `case` at `as_of`: clocks, status and alerts then. `state`: state_at(case,
    as_of), when the caller has it already (cases.present)."""
    if state is _UNSET:
        state = state_at(case, as_of)
    if state is None:
        return _incomplete(case)
    stored, changes = {}, {}
    rows = AlertChange.objects.filter(alert__subject_type=SUBJECT, alert__subject_key=case.case_no)
    for change in rows.select_related("alert").order_by("at", "pk"):  # alerts and their history in one query
        stored[(change.alert.rule, change.alert.step)] = change.alert
        changes.setdefault(change.alert_id, []).append(change)
    alerts = []
    for f in state.alerts:
        status, level = _status(f, stored.get((f.rule, f.step or "")), changes, as_of)
        alerts.append({"rule": f.rule, "level": level, "step": f.step or None, "raised_at": iso(f.raised_at),
                       "status": status})
    alerts.extend(_stored_only(stored, changes, as_of))
    return {
        "case_no": case.case_no,
        "item_code": case.item.code,
        "status": state.status,
        "received_at": iso(state.received_at),
        "clock_start": day(state.clock_start),
        "deemed_accepted": state.deemed_accepted,
        "promised_limit_days": state.promised_limit_days,
        "legal_limit_days": state.legal_limit_days,
        "promised_due": day(state.promised_due),
        "legal_due": day(state.legal_due),
        "suspended_working_days": state.suspended_working_days,
        "extension_days": state.extension_days,
        "remaining_working_days": state.remaining_working_days,
        "late": state.late,
        "ended_at": iso(state.ended_at),
        "alert_level": highest(a["level"] for a in alerts if a["status"] in ACTIVE_STATUSES) or None,
        "alerts": alerts,
    }


def _stored_only(stored, changes, as_of):
    """The case's alerts of rules the clock does not own (BREACH_LIKELY, raised by insight's forecast):
    their stored history is their whole truth, closures by rule included, as it stood at as_of."""
    out = []
    for (rule, step), alert in stored.items():
        if rule in rules.RULES:
            continue
        found = state_as_of(changes.get(alert.pk, []), as_of)
        if found is not None:
            out.append({"rule": rule, "level": found[1], "step": step or None, "raised_at": iso(alert.raised_at),
                        "status": found[0]})
    return sorted(out, key=lambda a: a["raised_at"])


def _status(finding, alert, changes, as_of):
    """(status, level) at as_of. A rule that closes its own alert (DUE_SOON) closes it when the clock
    says, from the events up to as_of; what people did (urge, answer, close, send back) and the
    escalations come from the stored alert's history. The stored closures by rule are not read:
    they were made with the events known at the time, and an event that arrived later can move them."""
    status, level = "open", finding.level
    if alert is not None:
        # neither closures by rule nor withdrawals (the clock on the events up to as_of is what says
        # whether the alert holds); a re-raise (withdrawn -> open) starts its status afresh
        people = [c for c in changes.get(alert.pk, []) if not (c.note == CLOSED_BY_RULE and c.actor_id is None)
                  and c.to_status != AlertStatus.WITHDRAWN]
        status, level = state_as_of(people, as_of) or (status, level)
    if finding.closed_at is not None and finding.closed_at <= as_of:
        status = "closed"
    return status, level


def _incomplete(case):
    return {
        "case_no": case.case_no, "item_code": None, "status": "incomplete", "received_at": None,
        "clock_start": None, "deemed_accepted": False, "promised_limit_days": None, "legal_limit_days": None,
        "promised_due": None, "legal_due": None, "suspended_working_days": 0, "extension_days": 0,
        "remaining_working_days": None, "late": False, "ended_at": None, "alert_level": None, "alerts": [],
    }
