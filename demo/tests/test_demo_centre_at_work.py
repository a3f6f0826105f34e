"""The demo looks like a working centre: urges in every state, findings in working hours, materials
and FAQ departments that fit their items (issue 16, point 15)."""
import importlib
from datetime import datetime, time

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from catalog.models import ItemVersion
from complaints.demo import QUESTIONS
from complaints.models import Consultation
from demo.setup import do_load_history
from supervision.models import Urge, UrgeChange, UrgeStatus
from video.models import Observation
from workdays.models import load_calendar

BUSY = ["152500-ZRZY", "152500-SCJG", "152502-SCJG"]  # League land registry and market bureaus, a county one
NOW = datetime(2026, 3, 20, 16, 30, tzinfo=timezone.get_fixed_timezone(480))  # a Friday afternoon


@pytest.fixture
def region(db):
    call_command("demo_setup", "--history-days", "0")


@pytest.fixture
def centre_at_work(region):
    do_load_history(40, now=NOW, departments=BUSY, scale=3)
    return importlib.import_module("supervision.demo").populate(NOW)


def test_it_has_urges_issued_answered_returned_closed_and_escalated(centre_at_work):
    statuses = set(Urge.objects.values_list("status", flat=True))
    assert statuses == {UrgeStatus.ISSUED, UrgeStatus.ANSWERED, UrgeStatus.CLOSED}
    assert Urge.objects.filter(escalated=True).exists()
    assert UrgeChange.objects.filter(from_status=UrgeStatus.ANSWERED, to_status=UrgeStatus.ISSUED).exists()  # returned
    assert Urge.objects.filter(escalated=True, status=UrgeStatus.CLOSED).exists()  # answered late, closed above
    # still open ones are recent: nothing unanswered is left past its deadline without escalation
    assert not Urge.objects.filter(status=UrgeStatus.ISSUED, escalated=False, deadline__lt=NOW.date()).exists()


def test_it_urges_and_answers_in_working_hours_of_working_days(centre_at_work):
    cal = load_calendar()
    people = UrgeChange.objects.exclude(actor_name="supervise")  # the worker escalates at its midnight tick
    assert people.count() > 50
    for change in people:
        at = timezone.localtime(change.at)
        assert cal.is_workday(at.date()) and time(8, 30) <= at.time() <= time(17, 30), (change.urge.number, at)
        assert change.at <= NOW


def test_it_records_video_findings_in_working_hours_of_working_days(region):
    Observation.objects.all().delete()  # demo_setup made them at the real now; again, as if run at 04:27 on a Monday
    importlib.import_module("video.demo").populate(datetime(2026, 3, 16, 4, 27, tzinfo=NOW.tzinfo))
    cal = load_calendar()
    assert Observation.objects.count() == 3
    for obs in Observation.objects.all():
        for at in [obs.instant, obs.recorded_at, obs.answered_at] + [c.at for c in obs.changes.all()]:
            if at is None:
                continue
            local = timezone.localtime(at)
            assert cal.is_workday(local.date()) and time(8, 30) <= local.time() <= time(17, 30), (obs.number, local)


def test_it_asks_a_passport_applicant_for_a_persons_papers_not_a_business_licence(region):
    passport = ItemVersion.objects.filter(name="普通护照签发").first()
    names = [m["name"] for m in passport.materials]
    assert "居民身份证" in names and any("照片" in n for n in names)
    assert not [n for n in names if "营业执照" in n or "房屋产权" in n]
    personal = ItemVersion.objects.filter(name__in=["户口迁移审批", "教师资格认定", "医师执业注册", "社会保障卡申领"])
    assert personal.count() >= 4
    for version in personal:
        assert not [m for m in version.materials if "营业执照" in m["name"]], version.name


def test_it_sends_each_faq_to_the_department_that_offers_its_item(region):
    about = {question: item for question, _answer, item in QUESTIONS}
    assert Consultation.objects.filter(published=True, department__isnull=False).exists()
    for q in Consultation.objects.select_related("department"):
        item = about[q.question]
        if item is None:
            assert q.department is None
            continue
        offered = set(ItemVersion.objects.filter(item__department=q.department).values_list("name", flat=True))
        assert item in offered, (q.question, q.department.name)
    card = Consultation.objects.filter(question="社保卡丢了怎么补办？").first()
    assert card.department.name.endswith("人力资源和社会保障局")


def test_the_demo_department_head_has_urges_to_answer(region, client, django_user_model):
    """The League centre urges the departments with the most open cards, not the first ones by id (which
    urged 发改委 and 工信局 every day): the demo's department head, of the League market bureau, the busiest
    of the three, finds urges addressed to the bureau on his list."""
    do_load_history(40, now=NOW, departments=["152500-FGW", "152500-GXJ", "152500-SCJG"], scale=2)
    importlib.import_module("supervision.demo").populate(NOW)
    by_department = dict(Urge.objects.values_list("department__code").annotate(n=Count("pk")))
    # the bureau with the most cards is urged the most, and the others are urged too
    assert by_department["152500-SCJG"] == max(by_department.values()), by_department
    assert by_department.get("152500-FGW") and by_department.get("152500-GXJ"), by_department
    client.force_login(django_user_model.objects.get(username="dept_manager"))
    page = client.get("/supervision/urges/")
    numbers = set(Urge.objects.filter(department__code="152500-SCJG").values_list("number", flat=True))
    listed = [u.number for u in page.context["page"].object_list]
    assert listed and set(listed) <= numbers
    assert listed[0] in page.content.decode()


def test_it_has_complaints_about_departments_of_the_banners_and_counties_too(region):
    from complaints.models import Complaint

    about = Complaint.objects.filter(external_id__startswith="demo-")
    paths = about.exclude(department__region_id="152500").values_list("department__region__path", flat=True)
    counties = {path.strip("/").split("/")[1] for path in paths}  # 152500/152502/… → 152502
    assert len(counties) >= 4, counties
    assert about.filter(department__region_id="152500").exists()
    assert about.exclude(department__region_id="152500").filter(closed_at__isnull=False).exists()
