"""Demo urges (督办): the centres at work over the history that demo_setup ingested.

Day by day through the history, in working hours, each centre issues urges on the yellow and red
cards of its departments raised on earlier days; departments answer within the deadline (most), late
or never (then the worker escalates them at the first tick after the deadline: the yellow cards turn
red and the urge goes one level up); the centre verifies the answers and closes them or sends some
back, which are answered again. All through the real actions (do_issue_urges, do_answer_urge,
do_return_urge, do_close_urge, escalate_overdue_urges) at the instants they would have happened;
what would happen after `now` has not happened yet, so recent urges are still open or answered.
Department heads and centre supervisors without a log-in get an account without a usable password
(the demo log-ins are theirs where they exist). Deterministic (fixed seed); skipped when urges exist.
"""
import heapq
import random
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from alerts.models import Alert, AlertStatus, Level
from cases.vocab import SUBJECT as CASE
from core.roles import Role
from orgs.models import Staff
from workdays.models import load_calendar
from workdays.zone import local_date

from .actions import do_answer_urge, do_close_urge, do_issue_urges, do_return_urge
from .ticks import escalate_overdue_urges
from .models import Urge, UrgeStatus

SEED = 20260316
DAYS = 90
URGES_PER_CENTRE_DAY = 2     # departments a centre urges on one working day, at most
RECENT = timedelta(days=14)   # cards older than this are left to the monthly review
URGE_SHARE = 0.5             # of a department's open cards that go into the day's urge
NEVER_ANSWER, LATE, RETURN = 0.08, 0.07, 0.18  # shares of urges (escalated / answered late / sent back)
DEMANDS = ["请立即核查办件超期原因，落实整改措施，并按期书面答复。",
           "请核实告警所涉办件的办理情况，说明原因，提出整改措施。",
           "请对照权力清单规范办理流程，杜绝类似问题，并按期答复。"]
ANSWERS = ["经核查，因承办人员业务量集中导致超期，已完成办结，并调整 AB 岗。",
           "已对相关办件逐件核查，对承办人员进行批评教育，完善内部流转制度。",
           "情况属实，已督促办结，并建立时限提醒台账，防止再次发生。"]
SECOND_ANSWERS = ["已按要求补充整改材料：责任人书面检查及整改台账附后。",
                  "已补充说明超期具体原因，并落实专人跟踪办结。"]
RETURN_NOTES = ["答复未说明超期原因，请补充具体原因和责任人处理情况。", "整改措施不具体，请补充整改台账。"]


@transaction.atomic  # one commit for the whole story (each action's own transaction becomes a savepoint)
def populate(now):
    if Urge.objects.exists():
        return {"urges": 0}
    cal, rng = load_calendar(), random.Random(SEED)
    heads, supervisors = _accounts(Role.DEPT_MANAGER, "department_id"), _accounts(Role.SUPERVISOR, "centre_id")
    today, day, work = local_date(now), local_date(now - timedelta(days=DAYS)), Work(now)
    while day <= today:
        work.run_until(_at(day, time(0, 5)))
        escalate_overdue_urges(_at(day, time(0, 5)))  # the worker's tick after midnight
        issued_at = _at(day, time(9, rng.randrange(0, 60)))
        if cal.is_workday(day) and issued_at <= now:
            work.run_until(issued_at)
            for urge in _issue(day, issued_at, rng, supervisors):
                _plan(urge, day, cal, rng, work, heads, supervisors)
        day += timedelta(days=1)
    work.run_until(now)
    return {"urges": Urge.objects.count(), "escalated": Urge.objects.filter(escalated=True).count()}


class Work:
    """What people will do, in time order; nothing after `now` happens."""

    def __init__(self, now):
        self.now, self.queue, self.n = now, [], 0

    def at(self, instant, action, *args):
        if instant <= self.now:
            self.n += 1
            heapq.heappush(self.queue, (instant, self.n, action, args))

    def run_until(self, instant):
        while self.queue and self.queue[0][0] <= instant:
            at, _n, action, args = heapq.heappop(self.queue)
            action(at, *args)


def _issue(day, issued_at, rng, supervisors):
    """The day's urges: per centre, the departments with the most open cards raised in the last RECENT
    days (ties by id); about half of each department's cards go into one urge. Urged cards are no longer
    open, so the next day turns to other departments. (Taking the first departments by id urged the same
    few every day and never, for instance, the League market bureau of the demo's department head.)"""
    cards = (Alert.objects.filter(subject_type=CASE, status=AlertStatus.OPEN, level__in=[Level.YELLOW, Level.RED],
                                  raised_at__lt=_at(day, time(0)), raised_at__gte=_at(day - RECENT, time(0)),
                                  department__isnull=False, centre__isnull=False)
             .order_by("centre_id", "department_id", "raised_at", "pk"))
    by_centre = {}
    for alert in cards:
        by_centre.setdefault(alert.centre_id, {}).setdefault(alert.department_id, []).append(alert)
    urges = []
    for centre_id, departments in sorted(by_centre.items()):
        actor = supervisors.get(centre_id)
        if actor is None:
            continue
        busiest = sorted(departments, key=lambda d: (-len(departments[d]), d))
        for department_id in busiest[:URGES_PER_CENTRE_DAY]:
            group = departments[department_id]
            chosen = [a for a in group if rng.random() < URGE_SHARE] or group[:1]
            urges += do_issue_urges(chosen, centre=actor.staff.centre, actor=actor, demand=rng.choice(DEMANDS),
                                    now=issued_at + timedelta(minutes=len(urges) * 3))
    return urges


def _plan(urge, day, cal, _rng, work, heads, supervisors):
    """Schedule what the department and the centre will do with this urge (its own dice: one urge's
    story does not depend on how many others were drawn before it)."""
    rng = random.Random(f"{SEED}/{urge.number}")
    head = heads.get(urge.department_id)
    fate = rng.random()
    if head is None or fate < NEVER_ANSWER:
        return  # never answered: the worker escalates it after the deadline
    late = fate < NEVER_ANSWER + LATE
    answer_day = cal.add_wd(urge.deadline, rng.randint(1, 3)) if late else cal.add_wd(day, rng.randint(1, 3))
    answer_at = _at(answer_day, _office_time(rng))
    sent_back = rng.random() < RETURN

    def answer(at, text=None):
        urge.refresh_from_db()
        do_answer_urge(urge, actor=head, answer=text or rng.choice(ANSWERS), now=at)
        review_at = _at(cal.add_wd(local_date(at), rng.randint(1, 2)), _office_time(rng))
        work.at(review_at, review)

    def review(at):
        urge.refresh_from_db()
        centre_actor = supervisors.get(urge.centre_id)
        if centre_actor is None:
            return
        if sent_back and not urge.changes.filter(from_status=UrgeStatus.ANSWERED, to_status=UrgeStatus.ISSUED).exists():
            do_return_urge(urge, actor=centre_actor, note=rng.choice(RETURN_NOTES), now=at)
            again = _at(cal.add_wd(local_date(at), rng.randint(1, 2)), _office_time(rng))
            work.at(again, answer, rng.choice(SECOND_ANSWERS))
        else:
            do_close_urge(urge, actor=centre_actor, note="核查属实，整改到位，予以办结。", now=at)

    work.at(answer_at, answer)


def _accounts(role, key):
    """{department or centre id: the User of its first staff member in `role`}, making accounts
    (no usable password) for those who have none."""
    users = get_user_model().objects
    found = {}
    for staff in Staff.objects.filter(role=role, active=True).select_related("user").order_by("code"):
        owner = getattr(staff, key)
        if owner is None or owner in found:
            continue
        if staff.user is None:
            user = users.filter(username=staff.code.lower()).first()
            if user is None:
                user = users.create_user(staff.code.lower(), password=None)  # unusable: no log-in
            staff.user = user
            staff.save(update_fields=["user"])
        found[owner] = staff.user
    return found


def _office_time(rng):
    minute = rng.choice([rng.randrange(8 * 60 + 40, 11 * 60 + 50), rng.randrange(14 * 60 + 30, 17 * 60 + 20)])
    return time(minute // 60, minute % 60)


def _at(day, clock):
    return timezone.make_aware(datetime.combine(day, clock), timezone.get_default_timezone())
