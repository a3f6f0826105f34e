"""Records put in place for tests that read them: cases and alerts written directly (the metrics and
the accountability cases read only projections), a complaint submitted through its action, and the
monitoring centre's counter totals."""
from datetime import date, datetime, timezone as dt_timezone

from django.db.models import Sum

from alerts.models import Alert
from cases.models import Case
from complaints.actions import ComplaintInput, do_submit_complaint
from supervision import tally
from supervision.models import DayTally, OpenTally

AT = datetime(2026, 3, 10, 2, 0, tzinfo=dt_timezone.utc)
COMPLAINT_AT = datetime(2026, 3, 2, 2, 0, tzinfo=dt_timezone.utc)  # Monday 10:00 in Beijing

_n = [0]


def case(dept, *, late=False, start=date(2026, 3, 2), ended=date(2026, 3, 6), due=date(2026, 3, 9), item=None,
         **extra):
    """A completed case row of `dept` (numbered K00001, K00002, …), written directly."""
    _n[0] += 1
    ended_at = datetime(ended.year, ended.month, ended.day, 3, 0, tzinfo=dt_timezone.utc)
    return Case.objects.create(
        case_no=f"K{_n[0]:05d}", department=dept, region=dept.region, status="completed", clock_start=start,
        promised_due=due, ended_at=ended_at, late=late, received_at=ended_at.replace(day=start.day),
        item=item, item_version=item.versions.first() if item else None, **extra)


def alert(dept, level="red", raised=AT, rule="LEGAL_OVERDUE", key="K-A"):
    """An open case alert of `dept`, written directly."""
    return Alert.objects.create(subject_type="case", subject_key=key, rule=rule, level=level, raised_at=raised,
                                department=dept, region=dept.region)


def submit_complaint(org, *, category="attitude", name="王秀英", phone="13912345678", anonymous=False,
                     now=COMPLAINT_AT, **extra):
    """A complaint about `org`'s department submitted on the portal (complaints.actions)."""
    data = ComplaintInput(category=category, subject=extra.pop("subject", "窗口人员态度恶劣"),
                          content=extra.pop("content", "办理营业执照时窗口人员推诿，要求反复补交材料。"),
                          region=org["county"], department=extra.pop("department", org["dept"]),
                          anonymous=anonymous, name=name, phone=phone, **extra)
    return do_submit_complaint(data, channel="portal", actor="portal", now=now)


def tally_totals():
    """The monitoring centre's live counters summed over every row: {field: total}."""
    day = DayTally.objects.aggregate(**{f: Sum(f) for f in tally.DAY_FIELDS})
    opened = OpenTally.objects.aggregate(**{f: Sum(f) for f in tally.OPEN_FIELDS})
    return {k: v or 0 for k, v in {**day, **opened}.items()}
