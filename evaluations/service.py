"""The service a rating is bound to: which stages of a case happened and are not yet rated, who did
them, what a window did last (for the kiosk), who is on duty at a window. Reads only."""
from datetime import timedelta

from cases.models import Case, CaseEvent
from core.roles import Role
from orgs.models import Staff

from .models import Stage

ACCEPTANCE_EVENTS = ("received", "accepted")


COMPLETION_EVENTS = ("completed", "rejected")


def is_instant(case):
    """即办件: promised the same day (0 working days); rated once, at completion."""
    return case.item_version_id is not None and case.item_version.promised_limit_days == 0


def stage_of_event(case, event_type):
    if is_instant(case):
        return Stage.COMPLETION
    return Stage.COMPLETION if event_type in COMPLETION_EVENTS else Stage.ACCEPTANCE


def open_stages(case, events, rated):
    """The stages of `case` that happened and are not yet rated (events: its CaseEvents)."""
    types = {e.type for e in events}
    stages = []
    if not is_instant(case) and types & set(ACCEPTANCE_EVENTS):
        stages.append(Stage.ACCEPTANCE)
    if types & set(COMPLETION_EVENTS) or (is_instant(case) and types & set(ACCEPTANCE_EVENTS)):
        stages.append(Stage.COMPLETION)
    return [s for s in stages if s not in rated]


def staff_code_for(events, stage):
    """The clerk who did the stage: the latest event of that stage that names one."""
    types = COMPLETION_EVENTS if stage == Stage.COMPLETION else ACCEPTANCE_EVENTS
    named = [e for e in events if e.type in types and e.data.get("staff")]
    if not named and stage == Stage.COMPLETION:  # 即办件 done at acceptance
        named = [e for e in events if e.type in ACCEPTANCE_EVENTS and e.data.get("staff")]
    return named[-1].data["staff"] if named else None


def recent_service(window, now, minutes):
    """(case, stage, event) the window most recently did within `minutes`, or None."""
    since = now - timedelta(minutes=minutes)
    case_nos = Case.objects.filter(window=window).values("case_no")
    event = (CaseEvent.objects.filter(case_no__in=case_nos, occurred_at__gte=since, occurred_at__lte=now,
                                      type__in=ACCEPTANCE_EVENTS + COMPLETION_EVENTS)
             .order_by("-occurred_at", "-pk").first())
    if event is None:
        return None
    case = Case.objects.select_related("item_version").get(case_no=event.case_no)
    return case, stage_of_event(case, event.type), event


def on_duty(window, staff_code=None):
    """The clerk shown on the kiosk (亮证上岗): the one who did the service, else the window's first."""
    staff = Staff.objects.filter(window=window, active=True, role=Role.WINDOW_STAFF)
    if staff_code:
        named = Staff.objects.filter(code=staff_code, active=True).first()
        if named:
            return named
    return staff.order_by("code").first()
