"""Video demo data: a few patrol observations in the League centre hall (one per state), so that the
observation pages and the department's answer have something to show. The live pictures come from
the simulated cameras and the recorder that bin/demo starts (video/simcam.py, manage.py record).
Every instant is in working hours of a working day (a patrol sees staff at their windows): the
finding, the order a few minutes later, the answer the next working day, the close the day after."""
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from orgs.models import Staff
from workdays.models import load_calendar
from workdays.zone import local_date

from .models import Camera, Category, Observation
from .observations import do_answer_observation, do_close_observation, do_record_observation

SUPERVISOR = "league_supervisor"
MANAGER = "dept_manager"
PLAN = [  # (working days ago, time of day, category, description, order, answer, close)
    (6, time(10, 12), Category.PHONE, "窗口人员工作时间长时间使用手机，群众排队等候。", "立即纠正，组织窗口纪律教育。", "已对当事人批评教育，全科室学习窗口纪律。", True),
    (3, time(10, 5), Category.ABSENT, "上午 10 时许窗口无人值守约 20 分钟。", "说明离岗原因并落实 AB 岗制度。", "当事人临时处理内部事务，已补建 AB 岗。", False),
    (1, time(15, 40), Category.ATTITUDE, "窗口人员对咨询群众态度生硬。", "", "", False),
]


def populate(now):
    users = {u.username: u for u in get_user_model().objects.filter(username__in=[SUPERVISOR, MANAGER])}
    manager = Staff.objects.filter(user__username=MANAGER).select_related("department").first()
    if SUPERVISOR not in users or manager is None or Observation.objects.exists():
        return {"observations": 0}
    camera = Camera.objects.filter(windows__department=manager.department).distinct().first()
    if camera is None:
        return {"observations": 0}
    window = camera.windows.filter(department=manager.department).first()
    clerk = Staff.objects.filter(window=window).first()
    cal, today = load_calendar(), local_date(now)
    for days, clock, category, text, order, answer, close in PLAN:
        day = cal.workday_before(today, days)
        at = _at(day, clock)
        obs = do_record_observation(camera, actor=users[SUPERVISOR], instant=at, category=category, description=text,
                                    window=window, staff=clerk, verbal_warning=True, order_text=order, order_days=3,
                                    now=at + timedelta(minutes=5))
        if answer:
            do_answer_observation(obs, actor=users[MANAGER], answer=answer, now=_at(cal.add_wd(day, 1), time(9, 40)))
        if close:
            do_close_observation(obs, actor=users[SUPERVISOR], note="整改到位", now=_at(cal.add_wd(day, 2), time(16, 10)))
    return {"observations": len(PLAN)}


def _at(day, clock):
    return timezone.make_aware(datetime.combine(day, clock), timezone.get_default_timezone())
