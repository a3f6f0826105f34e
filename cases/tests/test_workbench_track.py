"""The public progress lookup (portal:track): right code, wrong code, unknown case, throttling."""
import pytest
from django.test import override_settings

from .test_workbench import act, case, clerk_client, people, register  # noqa: F401  (fixtures)


def lookup(client, case_no, code, ip="203.0.113.7"):
    return client.post("/track/", {"case_no": case_no, "check_code": code}, REMOTE_ADDR=ip)


@pytest.fixture
def public(db):
    from django.test import Client

    return Client()


def test_it_shows_the_status_steps_and_promised_date_for_the_right_code(public, clerk_client, case):
    act(clerk_client, case, "accept")
    act(clerk_client, case, "complete_step", step="cb", opinion="同意")
    case.refresh_from_db()
    response = lookup(public, case.case_no, case.check_code)
    page = response.content.decode()
    assert response.status_code == 200
    assert '<span class="status status--in_progress status--big" data-field="status">办理中</span>' in page
    assert case.promised_due.strftime("%Y-%m-%d") in page and "未超期" in page
    assert "已完成 1 / 3 个环节" in page
    assert "张*" in page and "张三" not in page and "S-clerk" not in page and "同意" not in page


def test_it_gives_the_same_answer_for_a_wrong_code_and_an_unknown_case(public, case):
    wrong = lookup(public, case.case_no, "000000" if case.check_code != "000000" else "111111")
    unknown = lookup(public, "152502-19990101-0001", case.check_code)
    assert wrong.status_code == unknown.status_code == 200
    message = "办件编号或查询码不正确"
    assert message in wrong.content.decode() and message in unknown.content.decode()
    assert "data-field=\"status\"" not in wrong.content.decode()


def test_it_names_missing_fields(public):
    response = public.post("/track/", {"case_no": "", "check_code": ""})
    page = response.content.decode()
    assert response.status_code == 400 and "办件编号：" in page and "查询码：" in page


@override_settings(TRACK_MAX_FAILURES=3)
def test_it_throttles_wrong_codes_per_address(public, case):
    for _ in range(3):
        assert lookup(public, case.case_no, "999999x").status_code == 200
    locked = lookup(public, case.case_no, case.check_code)
    assert locked.status_code == 429 and "查询失败次数过多" in locked.content.decode()
    other_address = lookup(public, case.case_no, case.check_code, ip="198.51.100.4")
    assert other_address.status_code == 200 and 'data-field="status"' in other_address.content.decode()


def test_it_shows_the_form_on_get(public):
    page = public.get("/track/").content.decode()
    assert "办件进度查询" in page and 'name="check_code"' in page


def test_it_points_a_complaint_number_to_the_complaint_lookup(public, case):
    """A complaint number typed into the case lookup gets the way to the complaint lookup (prefilled),
    not only "不正确", and is no failed attempt."""
    from core.models import AuditEntry

    page = lookup(public, "TS20261113-0001", "123456").content.decode()
    assert "是投诉或咨询编号" in page and 'href="/complaints/track/?number=TS20261113-0001"' in page
    assert "办件编号或查询码不正确" not in page
    assert not AuditEntry.objects.filter(action="track_lookup_failed").exists()
    prefilled = public.get("/complaints/track/", {"number": "TS20261113-0001"}).content.decode()
    assert 'value="TS20261113-0001"' in prefilled


def test_it_shows_real_examples_of_both_forms_of_case_number(public):
    page = public.get("/track/").content.decode()
    assert "152502-20261205-W000123" in page and "152502-20261205-000123" in page
