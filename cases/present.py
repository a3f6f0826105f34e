"""What a case looks like to a reader at an instant: the one presenter of a case.

The workbench (cases.views), the monitoring centre's case page (supervision.views.centre) and the
public progress lookup (portal.views.track) show a case through `present(case, at)`: its status in words,
both clocks, its steps, its alerts as they stood at `at` and the API's as_of view, all from one reading
of the events up to `at`. `public()` is the part the public may see: no staff names, no alerts,
the applicant's name masked. `events(case)` is the one list of a case's events as people read them
(the workbench's history, the centre's timeline)."""
from datetime import datetime
from functools import cached_property

from alerts.models import ACTIVE_STATUSES, Alert, AlertStatus
from alerts.vocab import rule_help, rule_label
from core.masking import mask_name
from workdays.models import load_calendar
from workdays.zone import local_date

from . import vocab
from .models import ENDED_STATUSES, CaseEvent, CaseStatus, EventType
from .replay import case_as_of, state_at
from .vocab import SUBJECT


def present(case, at):
    """The case as it stood at instant `at` (load item_version, department and window__hall with it)."""
    return CaseView(case, at)


def events(case, *, newest_first=False, limit=None):
    """The case's events as people read them, in clock order (newest first if asked, at most `limit`):
    each a dict of seq, type, label, occurred_at, arrived_at, late_arrival, historical, source (the code:
    api, workbench, import) and source_label, client (the reporting client's name), data (the event's
    fields as (label, value) pairs) and ignored (why the clock left it out, or None)."""
    order = ("-occurred_at", "-pk") if newest_first else ("occurred_at", "pk")
    rows = CaseEvent.objects.filter(case_no=case.case_no).select_related("client").order_by(*order)
    rows = list(rows[:limit] if limit else rows)
    ignored = {n.get("seq"): n.get("note") for n in case.quality_notes or [] if isinstance(n, dict)}
    labels = dict(EventType.choices)
    names = vocab.event_names(case.item_version, [e.data for e in rows])
    return [{
        "seq": e.pk, "type": e.type, "label": labels.get(e.type, e.type), "occurred_at": e.occurred_at,
        "arrived_at": e.arrived_at, "late_arrival": e.late_arrival, "historical": e.historical,
        "source": e.source, "source_label": vocab.SOURCE_LABELS.get(e.source, e.source), "client": e.client.name,
        "data": vocab.event_parts(e.data, names),
        "ignored": vocab.NOTE_LABELS.get(ignored.get(e.pk), ignored.get(e.pk)),
    } for e in rows]


class CaseView:
    """`state`: the pure clock's CaseState at `at` (None while the case has no item); the rest is
    computed when first asked for."""

    def __init__(self, case, at):
        self.case, self.at = case, at
        self.state = state_at(case, at)

    @cached_property
    def as_of(self):
        """The API's view at `at` (cases.replay.case_as_of): status, clocks, alert level, alerts then."""
        return case_as_of(self.case, self.at, state=self.state)

    @cached_property
    def step_names(self):
        return vocab.step_names(self.case.item_version)

    @property
    def status_label(self):
        status = self.state.status if self.state else self.case.status
        return str(dict(CaseStatus.choices).get(status, status))

    @property
    def running(self):
        return self.state is not None and self.state.clock_start is not None and self.state.ended_at is None

    def steps(self, allowed=frozenset()):
        """The item's steps at `at`, in its order: name, limit, who is responsible, status, start, due,
        completion, overdue, and whether the reader may act on it (its code in `allowed`)."""
        if self.state is None or self.case.item_version is None:
            return []
        responsible = {s["code"]: s.get("responsible", "") for s in self.case.item_version.steps}
        return [{"code": s.code, "name": self.step_names.get(s.code, s.code), "limit": s.limit_days,
                 "responsible": responsible.get(s.code, ""), "status": s.status, "start": s.start_day,
                 "started_at": s.started_at, "due": s.due, "completed_at": s.completed_at, "overdue": s.overdue,
                 "may_act": s.code in allowed}
                for s in self.state.steps]

    def clocks(self):
        """Both clocks (limit, due, working days remaining, share used), the steps and the alerts at
        `at`, for the centre's case page and its replay; None while the case has no item."""
        state = self.state
        if state is None:
            return None
        running = self.running
        day = local_date(self.at)
        legal_left = _remaining(load_calendar(), day, state.legal_due) if running else None
        return {
            "at": self.at, "state": self.as_of, "running": running,
            "promised": _clock(state.promised_limit_days, state.promised_due, state.remaining_working_days, running,
                               day),
            "legal": _clock(state.legal_limit_days, state.legal_due, legal_left, running, day),
            "steps": self.steps(), "alerts": self.alerts_then(), "status_label": self.status_label,
            "ended_at": state.ended_at, "clock_start": state.clock_start,
        }

    def alerts_then(self):
        """The alerts as they stood at `at` (as_of's), with their names and status in words."""
        statuses = dict(AlertStatus.choices)
        return [dict(a, label=str(rule_label(a["rule"])), step_label=self.step_names.get(a.get("step"), ""),
                     raised=_parse(a["raised_at"]), status_label=str(statuses.get(a["status"], a["status"])))
                for a in self.as_of["alerts"]]

    def alerts(self):
        """The case's stored alerts, newest first, with their names, help and step name, and whether active."""
        rows = list(Alert.objects.filter(subject_type=SUBJECT, subject_key=self.case.case_no).order_by("-raised_at"))
        for a in rows:
            a.label = rule_label(a.rule)
            a.help = rule_help(a.rule)
            a.step_label = self.step_names.get(a.step, "")
            a.active = a.status in ACTIVE_STATUSES
        return rows

    def public(self):
        """What the public may see (the progress lookup): no staff names, no alerts, the applicant's
        name masked."""
        case, state, version = self.case, self.state, self.case.item_version
        steps = [{"name": s["name"], "status": s["status"], "completed_at": s["completed_at"]} for s in self.steps()]
        return {
            "case_no": case.case_no, "item": version.name, "department": case.department.name,
            "hall": case.window.hall.name if case.window else "", "status": case.get_status_display(),
            "status_code": case.status, "applicant": mask_name(case.applicant_name),
            "received_at": case.received_at, "clock_start": state.clock_start if state else None,
            "promised_due": state.promised_due if state else None, "promised_days": version.promised_limit_days,
            "remaining": state.remaining_working_days if state else None, "late": state.late if state else False,
            "ended_at": case.ended_at, "ended": case.status in ENDED_STATUSES, "steps": steps,
            "steps_done": sum(1 for s in steps if s["status"] == "completed"),
            "phone": version.consult_phone, "complaint_phone": version.complaint_phone,
        }


def _parse(value):
    return datetime.fromisoformat(value) if value else None


def _remaining(cal, day, due):
    if due is None:
        return None
    return cal.wd_between(day, due) if day <= due else -cal.wd_between(due, day)


def _clock(limit, due, remaining, running, day):
    """One clock on `day`. Late once the day is past the due date: on a day off after it (a case due on
    Friday, seen on Sunday) no working day has passed yet, so remaining is 0 (DOMAIN.md) but the case is
    late, not due today."""
    used = None
    if limit and remaining is not None:
        used = max(0, min(100, round(100 * (limit - remaining) / limit)))
    late = remaining is not None and due is not None and day > due
    return {"limit": limit, "due": due, "remaining": remaining, "used": used, "running": running, "late": late}
