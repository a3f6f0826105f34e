"""Video demo data: a few patrol observations in the League centre hall (one per state), so that the
observation pages and the department's answer have something to show. The live pictures come from
the simulated cameras and the recorder that bin/demo starts (video/simcam.py, manage.py record)."""
from datetime import timedelta

from django.contrib.auth import get_user_model

from orgs.models import Staff

from .models import Camera, Category, Observation
from .observations import do_answer_observation, do_close_observation, do_record_observation

SUPERVISOR = "league_supervisor"
MANAGER = "dept_manager"
PLAN = [  # (days ago, category, description, order, answer, close)
    (6, Category.PHONE, "窗口人员工作时间长时间使用手机，群众排队等候。", "立即纠正，组织窗口纪律教育。", "已对当事人批评教育，全科室学习窗口纪律。", True),
    (3, Category.ABSENT, "上午 10 时许窗口无人值守约 20 分钟。", "说明离岗原因并落实 AB 岗制度。", "当事人临时处理内部事务，已补建 AB 岗。", False),
    (1, Category.ATTITUDE, "窗口人员对咨询群众态度生硬。", "", "", False),
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
    for days, category, text, order, answer, close in PLAN:
        at = now - timedelta(days=days, hours=2)
        obs = do_record_observation(camera, actor=users[SUPERVISOR], instant=at, category=category, description=text,
                                    window=window, staff=clerk, verbal_warning=True, order_text=order, order_days=3,
                                    now=at + timedelta(minutes=5))
        if answer:
            do_answer_observation(obs, actor=users[MANAGER], answer=answer, now=at + timedelta(days=1))
        if close:
            do_close_observation(obs, actor=users[SUPERVISOR], note="整改到位", now=at + timedelta(days=2))
    return {"observations": len(PLAN)}
