"""Demo data for 好差评: an evaluator device at every window (deterministic demo tokens,
printed by the kiosk link in docs/evaluations.md), and ratings of the demo region's completed cases —
mostly good, a few bad reviews in every state of their follow-up. Idempotent and deterministic."""
import random
from datetime import timedelta

from django.db import transaction

from cases.models import Case, CaseEvent, CaseStatus
from ledger import chain
from orgs.models import Staff, Window

from . import rules
from .models import Channel, Device, FollowUp, FollowUpStatus, Rating, token_hash

MAX_CASES = 1500
WEIGHTS = (55, 28, 10, 5, 2)  # very_satisfied … very_dissatisfied
CHANNELS = (Channel.DEVICE, Channel.DEVICE, Channel.TOUCH, Channel.WEB, Channel.SMS, Channel.HOTLINE)


def demo_token(code):
    """The demo's device tokens are known (documented) so the kiosk can be opened; never in production."""
    return f"dev_demo_{code}"


@transaction.atomic
def populate(now):
    devices = _devices(now)
    ratings, follows = _ratings(now, devices)
    return {"devices": len(devices), "ratings": ratings, "follow-ups": follows}


def _devices(now):
    # every window, so that the kiosk link of the README works for any window of the demo
    windows = list(Window.objects.order_by("hall__code", "code"))
    existing = set(Device.objects.filter(window__in=windows).values_list("window_id", flat=True))
    new = []
    for window in windows:
        if window.pk in existing:
            continue
        code = f"EV-{window.code}"
        token = demo_token(code)
        new.append(Device(code=code, name=f"{window.name}评价器", window=window, token_hash=token_hash(token),
                          token_prefix=token[:10], registered_at=now))
    Device.objects.bulk_create(new, ignore_conflicts=True)
    return {d.window_id: d for d in Device.objects.filter(window__in=windows)}


def _ratings(now, devices):
    unrated = (Case.objects.filter(status=CaseStatus.COMPLETED, ended_at__isnull=False, department__isnull=False)
               .exclude(ratings__stage="completion"))
    # A sample drawn by each case's own dice, so that every region and every week gets its share. (The first
    # MAX_CASES by number were all the League's: case numbers start with the region code, and the banner and
    # county governments had no rating at all.)
    pks = sorted(unrated.values_list("case_no", "pk"), key=lambda row: random.Random(f"rated/{row[0]}").random())
    cases = list(Case.objects.filter(pk__in=[pk for _no, pk in pks[:MAX_CASES]]).select_related("window")
                 .order_by("case_no"))
    if not cases:
        return 0, 0
    staff_codes = {}
    for no, data in CaseEvent.objects.filter(case_no__in=[c.case_no for c in cases], type="completed").values_list(
            "case_no", "data"):
        staff_codes[no] = (data or {}).get("staff")
    staff = {s.code: s for s in Staff.objects.filter(code__in=set(staff_codes.values()) - {None})}
    rows = []
    for case in cases:
        rnd = random.Random(case.case_no)
        level = rnd.choices(rules.LEVELS, weights=WEIGHTS)[0]
        channel = rnd.choice(CHANNELS) if case.window_id else Channel.WEB
        device = devices.get(case.window_id) if channel in (Channel.DEVICE, Channel.TOUCH) else None
        if channel in (Channel.DEVICE, Channel.TOUCH) and device is None:
            channel = Channel.WEB
        rated_at = min(case.ended_at + timedelta(minutes=rnd.randint(1, 20)), now)
        rows.append(Rating(
            number=f"PJDEMO{case.pk:08d}", case=case, stage="completion", level=level, channel=channel,
            rated_at=rated_at, department_id=case.department_id, region_id=case.region_id, item_id=case.item_id,
            window=case.window, hall_id=case.window.hall_id if case.window else None,
            staff=staff.get(staff_codes.get(case.case_no)), device=device,
            source=f"device:{device.code}" if device else "demo", comment="等候时间较长，希望增开窗口" if
            rules.is_bad(level) else ""))
    Rating.objects.bulk_create(rows, ignore_conflicts=True)
    chain.append_saved(Rating, Rating.objects.filter(number__in=[r.number for r in rows]).values_list("pk", flat=True))
    bad = [r for r in Rating.objects.filter(number__in=[r.number for r in rows], level__in=rules.BAD)]
    follows = []
    for rating in bad:
        rnd = random.Random(rating.number)
        status = rnd.choice([FollowUpStatus.ANSWERED, FollowUpStatus.ANSWERED, FollowUpStatus.RECTIFYING,
                             FollowUpStatus.PENDING, FollowUpStatus.UNSUBSTANTIATED])
        done = status == FollowUpStatus.ANSWERED
        follows.append(FollowUp(
            rating=rating, status=status, deadline=(rating.rated_at + timedelta(days=21)).date(),
            visited_at=rating.rated_at + timedelta(days=1) if status != FollowUpStatus.PENDING else None,
            visit_note="电话回访评价人" if status != FollowUpStatus.PENDING else "",
            verification="经核实属实" if status in (FollowUpStatus.ANSWERED, FollowUpStatus.RECTIFYING) else "",
            rectification="增开窗口，高峰期弹性排班" if done else "", answer="感谢监督，已整改" if done else "",
            answered_at=rating.rated_at + timedelta(days=5) if done else None,
            centre_reason="经调取录像，评价人未在窗口办理业务" if status == FollowUpStatus.UNSUBSTANTIATED else ""))
    FollowUp.objects.bulk_create(follows, ignore_conflicts=True)
    return len(rows), len(follows)
