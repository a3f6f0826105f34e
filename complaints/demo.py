"""Demo complaints and consultations: about 60 complaints over the last 90 days at every stage of the
flow (some late, some kept by the centre, some repeats merged, some dissatisfied), and consultations
with published answers. Deterministic (fixed seed) and idempotent (skipped when already present)."""
import random
from datetime import timedelta

from catalog.models import ItemVersion
from orgs.models import Department, Region

from . import actions as A
from .models import Complaint

SUBJECTS = {
    "attitude": ("窗口人员态度生硬", "办理社保卡时工作人员态度生硬，不耐烦解释。"),
    "delay": ("营业执照变更拖延", "申请营业执照变更已超过承诺时限，仍未办结。"),
    "shirking": ("部门之间相互推诿", "办理不动产登记，两个窗口互相推诿，让我来回跑。"),
    "discipline": ("工作时间玩手机", "上午十点窗口工作人员在玩手机，群众排队无人办理。"),
    "fees": ("多收工本费", "办理证照被要求另交 50 元工本费，没有收据。"),
    "graft": ("暗示送礼", "工作人员暗示要“意思意思”才能尽快办理。"),
    "other": ("叫号系统故障", "大厅叫号系统多次故障，秩序混乱。"),
}
# (question, answer, the item it is about — the consultation goes to the department offering it;
# None: a question about the hall itself, answered by the centre)
QUESTIONS = [
    ("个体工商户注销需要什么材料？", "注销登记申请书、营业执照正副本；有税务事项的先办理清税。", "个体工商户登记"),
    ("食品经营许可证多久能办下来？", "材料齐全的，承诺 5 个工作日内办结，可在网上查询进度。", "食品经营许可"),
    ("不动产登记可以异地办理吗？", "目前须到不动产所在地的登记窗口办理，部分业务可网上预约。", "不动产转移登记"),
    ("社保卡丢了怎么补办？", "携带身份证到社保窗口或通过线上渠道挂失补办，当场制卡。", "社会保障卡申领"),
    ("周末大厅上班吗？", "政务服务中心周六上午开放部分窗口，法定节假日除外。", None),
]
SEED = 20260302


def populate(now):
    if Complaint.objects.filter(external_id__startswith="demo-").exists():
        return {"complaints": 0, "consultations": 0}
    departments = complained_of()
    if not departments:
        return {"complaints": 0, "consultations": 0}
    rng = random.Random(SEED)
    made = [_complaint(i, rng, departments, now) for i in range(60)]
    _merge_repeats(made, now)
    return {"complaints": len(made), "consultations": _consultations(rng, departments, now)}


def complained_of(n=12):
    """The n departments the demo's complaints are about, spread evenly over the departments by code, so
    that the banners and counties get theirs. (The first n by code were all the League's, whose region
    code sorts first: the banner and county centres had no complaint, and the public statistics showed
    none concluded for their governments.)"""
    departments = list(Department.objects.select_related("region").order_by("code"))
    step = max(1, len(departments) // n)
    return departments[::step][:n]


def _complaint(i, rng, departments, now):
    category = rng.choice(list(SUBJECTS))
    subject, content = SUBJECTS[category]
    dept = rng.choice(departments)
    at = now - timedelta(days=rng.randint(1, 90), hours=rng.randint(0, 8))
    anonymous = rng.random() < 0.25
    c, _ = A.do_submit_complaint(A.ComplaintInput(
        category=category, subject=subject, content=content, region=dept.region, department=dept,
        anonymous=anonymous, name="" if anonymous else rng.choice(["王秀英", "李建国", "张丽", "巴特尔", "乌云"]),
        phone="" if anonymous else f"139{rng.randint(10000000, 99999999)}"),
        channel=rng.choice(["portal", "portal", "hotline", "letter", "visit", "api"]), actor="demo", now=at)
    Complaint.objects.filter(pk=c.pk).update(external_id=f"demo-{i}")
    _advance(c, rng, dept, at, now)
    return c


def _advance(c, rng, dept, at, now):
    """Take a complaint as far along the flow as its age allows."""
    step = lambda days: at + timedelta(days=days, hours=1)  # noqa: E731
    if step(1) > now:
        return
    if rng.random() < 0.08:
        A.do_decline_complaint(c, actor="demo", reasons="不属于行政效能投诉受理范围，已告知投诉人向有关机关反映。", now=step(1))
        return
    A.do_register_complaint(c, actor="demo", now=step(1))
    if step(2) > now:
        return
    kept = c.is_serious
    A.do_assign_complaint(c, actor="demo", department=None if kept else dept,
                          instructions=f"请核查“{c.subject}”问题，按期答复。", now=step(2))
    late = rng.random() < 0.15
    answer_day = 24 if late else rng.randint(4, 12)
    if step(answer_day) > now:
        return
    A.do_answer_complaint(c, actor="demo", findings="经调查，反映问题基本属实。", measures="已对当事人批评教育，完善制度。",
                          now=step(answer_day))
    if step(answer_day + 1) > now:
        return
    A.do_verify_complaint(c, actor="demo", now=step(answer_day + 1))
    A.do_feed_back_complaint(c, actor="demo", feedback="您反映的问题经核查基本属实，已责令整改。", now=step(answer_day + 2))
    if step(answer_day + 5) > now:
        return
    A.do_rate_complaint(c, satisfaction=rng.choice(["satisfied", "satisfied", "basic", "dissatisfied"]),
                        now=step(answer_day + 5))
    if c.status == "closed" and step(answer_day + 8) <= now:
        A.do_archive_complaint(c, actor="demo", category=c.category, validity=rng.choice(["valid", "valid", "partly",
                                                                                          "invalid"]),
                               retention="10y", now=step(answer_day + 8))


def _merge_repeats(made, now):
    """The newest unregistered complaint about a department and category already complained of joins it."""
    seen = {}
    for c in sorted(made, key=lambda x: x.submitted_at):
        key = (c.department_id, c.category)
        if c.status in ("submitted", "registered") and key in seen:
            A.do_merge_complaint(c, into=seen[key], actor="demo", reason="同一事项重复投诉", now=now)
        elif c.status not in ("declined",):
            seen.setdefault(key, c)


def item_department(item_name):
    """The department offering the item, the highest level first (League bureaus before banner ones)."""
    versions = ItemVersion.objects.filter(name=item_name).select_related("item__department__region")
    departments = sorted({v.item.department for v in versions}, key=lambda x: (len(x.region.path), x.code))
    return departments[0] if departments else None


def _consultations(rng, departments, now):
    made = 0
    top = Region.objects.order_by("path").first()
    for i, (question, answer, item_name) in enumerate(QUESTIONS * 3):
        dept = item_department(item_name) if item_name else None
        rng.choice(departments)  # drawn as before: the rest of the demo stays the same
        at = now - timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 8))
        q, _ = A.do_submit_consultation(question=question, region=dept.region if dept else top, department=dept,
                                        channel="portal", actor="demo", now=at)
        made += 1
        if i < len(QUESTIONS) * 2 and at + timedelta(days=2) <= now:
            A.do_answer_consultation(q, actor="demo", answer=answer, now=at + timedelta(days=1))
            if i < len(QUESTIONS):
                A.do_publish_consultation(q, actor="demo", publish=True, now=at + timedelta(days=1))
    return made
