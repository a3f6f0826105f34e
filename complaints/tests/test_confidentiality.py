"""The complainant's identity is seen by centre staff only: never by the department complained about
(or any department), in pages, exports or the API. Checked for every role."""
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from complaints import actions as A
from complaints.models import Attachment
from core.roles import Role
from clearwindow.testing.fixtures import person

from .conftest import submit

NAME, PHONE, EMAIL = "王秀英", "13912345678", "wxy@example.org"
CENTRE = ("league_supervisor", "county_supervisor", "centre_admin", "superuser")
NO_IDENTITY = ("manager", "other_manager", "clerk", "other_supervisor", "anonymous")


@pytest.fixture
def world(org, people, calendar):
    people["centre_admin"] = person("county_admin", Role.CENTRE_ADMIN, centre=org["centres"]["152502"])
    people["superuser"] = get_user_model().objects.create_superuser("root", password="pw-12345")
    people["anonymous"] = None
    c, _ = submit(org, name=NAME, phone=PHONE, email=EMAIL)
    A._attach(c, "我的身份证.png", "image/png", "png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    sup = people["county_supervisor"]
    A.do_register_complaint(c, actor=sup)
    A.do_assign_complaint(c, actor=sup, department=org["dept"], instructions="请核查窗口推诿问题")
    kept, _ = submit(org, category="graft", name=NAME, phone=PHONE)
    A.do_register_complaint(kept, actor=sup)
    A.do_assign_complaint(kept, actor=sup, department=None)
    return {"c": c, "kept": kept, "people": people}


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def leaks(text):
    return [s for s in (NAME, PHONE, EMAIL, "我的身份证") if s in text]


@pytest.mark.parametrize("role", CENTRE + NO_IDENTITY)
def test_it_shows_the_identity_on_the_complaint_page_to_centre_staff_only(client, world, role):
    login(client, world["people"][role])
    r = client.get(reverse("complaints:detail", args=[world["c"].number]))
    if role in ("league_supervisor", "county_supervisor", "centre_admin", "superuser"):
        assert r.status_code == 200 and leaks(r.content.decode()) == [NAME, PHONE, EMAIL, "我的身份证"]
    elif role == "manager":  # the assigned department answers it, without knowing who complained
        text = r.content.decode()
        assert r.status_code == 200 and "请核查窗口推诿问题" in text and leaks(text) == []
    else:
        assert r.status_code in (302, 403, 404) and leaks(r.content.decode()) == []


@pytest.mark.parametrize("role", CENTRE + NO_IDENTITY)
def test_it_never_shows_a_centre_kept_complaint_to_the_accused_department(client, world, role):
    login(client, world["people"][role])
    r = client.get(reverse("complaints:detail", args=[world["kept"].number]))
    assert (r.status_code == 200) == (role in CENTRE)
    queue = client.get(reverse("complaints:office"))
    if role not in CENTRE:
        assert world["kept"].number not in queue.content.decode() and leaks(queue.content.decode()) == []


@pytest.mark.parametrize("role", CENTRE + NO_IDENTITY)
def test_it_never_returns_the_identity_through_the_api(client, world, role):
    login(client, world["people"][role])
    listing = client.get("/api/v1/complaints")
    one = client.get(f"/api/v1/complaints/{world['c'].number}")
    for r in (listing, one):
        assert leaks(r.content.decode()) == []
    numbers = [row["number"] for row in listing.json()] if listing.status_code == 200 else []
    assert (world["kept"].number in numbers) == (role in CENTRE)
    assert (world["c"].number in numbers) == (role in CENTRE + ("manager",))


@pytest.mark.parametrize("role", CENTRE + NO_IDENTITY)
def test_it_serves_attachments_and_the_export_to_centre_staff_only(client, world, role):
    from openpyxl import load_workbook

    login(client, world["people"][role])
    attachment = Attachment.objects.get(complaint=world["c"])
    r = client.get(reverse("complaints:attachment", args=[attachment.pk]))
    assert (r.status_code == 200) == (role in CENTRE)
    period = world["c"].submitted_at.strftime("%Y-%m")
    r = client.get(reverse("complaints:analysis"), {"period": period, "format": "xlsx"})
    assert (r.status_code == 200) == (role in CENTRE + ("other_supervisor",))  # another centre: its own figures
    if r.status_code == 200:
        book = load_workbook(BytesIO(r.content))
        cells = " ".join(str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row)
        assert leaks(cells) == [] and "部门" in cells


def test_it_refuses_actions_the_role_may_not_take(client, world):
    login(client, world["people"]["manager"])
    r = client.post(reverse("complaints:detail", args=[world["c"].number]), {"action": "feed_back", "feedback": "x"})
    assert r.status_code == 403
    login(client, world["people"]["clerk"])
    r = client.post(reverse("complaints:detail", args=[world["c"].number]), {"action": "answer", "findings": "x"})
    assert r.status_code == 403


REPLY = "王秀英女士：经核查，窗口人员推诿属实，已责令整改并约谈。"


def _fed_back(world):
    c, sup = world["c"], world["people"]["county_supervisor"]
    A.do_answer_complaint(c, actor=world["people"]["manager"], findings="属实", measures="约谈")
    A.do_verify_complaint(c, actor=sup)
    A.do_feed_back_complaint(c, actor=sup, feedback=REPLY)
    return c


@pytest.mark.parametrize("role", CENTRE + ("manager",))
def test_it_gives_a_role_the_same_complaint_fields_in_the_api_as_on_its_page(client, world, role):
    c = _fed_back(world)
    login(client, world["people"][role])
    page = client.get(reverse("complaints:detail", args=[c.number])).content.decode()
    one = client.get(f"/api/v1/complaints/{c.number}").json()
    row = next(r for r in client.get("/api/v1/complaints").json() if r["number"] == c.number)
    on_page = REPLY in page
    assert on_page == (role in CENTRE)
    for shown in (one, row):
        assert ("feedback" in shown) == on_page and (REPLY in str(shown)) == on_page
        if role == "manager":  # nor how it came in, nor who was complained about: the page hides both
            assert "channel" not in shown and "department" not in shown


def test_it_shows_each_merged_complainant_only_their_own_feedback(client, org, people, calendar):
    from complaints.views.public import TRACKED

    from .conftest import submit
    sup = people["county_supervisor"]
    first, _ = submit(org, name="王秀英")
    repeat, _ = submit(org, name="李建国", phone="13800001111")
    A.do_register_complaint(first, actor=sup)
    A.do_merge_complaint(repeat, into=first, actor=sup, reason="同一窗口同一事项")
    A.do_assign_complaint(first, actor=sup, department=org["dept"])
    A.do_answer_complaint(first, actor=people["manager"], findings="属实")
    A.do_verify_complaint(first, actor=sup)
    A.do_feed_back_complaint(first, actor=sup, feedback=REPLY)
    session = client.session
    session[TRACKED] = [first.number, repeat.number]
    session.save()
    mine = client.get(reverse("complaints:progress", args=[first.number])).content.decode()
    theirs = client.get(reverse("complaints:progress", args=[repeat.number])).content.decode()
    assert REPLY in mine
    assert "合并办理" in theirs and first.number in theirs and REPLY not in theirs and "王秀英" not in theirs
