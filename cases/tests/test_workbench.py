"""The online workbench: every action produces its exchange event through ingest, the projection and
the alerts follow; scope, masking, bad input, the list."""
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alerts.models import Alert
from core.models import AuditEntry
from core.roles import Role
from orgs.models import Staff, Window
from workdays.models import load_calendar

from ..ingest import ingest
from ..models import ApiClient, Case, CaseEvent
from ..actions import id_number_problem, with_check_digit
from clearwindow.testing.fixtures import make_item
from clearwindow.testing.events import ev

ID = with_check_digit("15250219900101123")  # a valid citizen ID number (GB 11643 check digit)
PHONE = "13947912345"


def person(username, role, *, centre=None, department=None, window=None, post=""):
    user = get_user_model().objects.create_user(username, password="pw-12345")
    Staff.objects.create(user=user, code=f"S-{username}", name=f"{username}姓名", role=role, centre=centre,
                         department=department, window=window, post=post)
    return user


@pytest.fixture
def people(org, items):
    window2 = Window.objects.create(code="XL-W02", name="2号窗口", hall=org["hall"], department=org["dept"])
    # posts as the item ITEM-STEPS names them: 承办 承办人, 审核 科长, 审批 分管局长 (clearwindow.testing.fixtures.STEPS)
    return {
        "clerk": person("clerk", Role.WINDOW_STAFF, department=org["dept"], window=org["window"], post="承办人"),
        "clerk2": person("clerk2", Role.WINDOW_STAFF, department=org["dept"], window=window2, post="承办人"),
        "manager": person("manager", Role.DEPT_MANAGER, department=org["dept"], post="科长"),
        "head": person("head", Role.DEPT_MANAGER, department=org["dept"], post="分管局长"),
        # one person holding two posts (一人多岗), as in a small hall: may do either step, never both
        "both": person("both", Role.WINDOW_STAFF, department=org["dept"], window=org["window"],
                       post="承办人、分管局长"),
        "other_manager": person("other_manager", Role.DEPT_MANAGER, department=org["other_dept"]),
        "supervisor": person("supervisor", Role.SUPERVISOR, centre=org["centres"]["152502"]),
        "outsider": get_user_model().objects.create_user("outsider", password="pw-12345"),
    }


def register(client, item_code="ITEM-STEPS", **overrides):
    data = {"item": item_code, "applicant_name": "张三", "applicant_id_number": ID, "applicant_phone": PHONE,
            "channel": "window", **overrides}
    return client.post("/cases/workbench/new/", data)


@pytest.fixture
def clerk_client(client, people):
    client.force_login(people["clerk"])
    return client


@pytest.fixture
def case(clerk_client):
    response = register(clerk_client)
    assert response.status_code == 302
    clerk_client.get("/cases/workbench/")  # shows (and so consumes) the "registered" message
    return Case.objects.get()


def act(client, case, action, **fields):
    return client.post(f"/cases/workbench/{case.case_no}/{action}/", {f"{action}-{k}": v for k, v in fields.items()})


def last_event(case):
    return CaseEvent.objects.filter(case_no=case.case_no).order_by("-pk").first()


def refreshed(case):
    return Case.objects.get(pk=case.pk)


# -- register -------------------------------------------------------------------------------------
def test_it_registers_a_case_as_a_received_event_from_the_workbench_client(clerk_client, people):
    response = register(clerk_client)
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/workbench/{case.case_no}/receipt/"
    today = timezone.localdate()
    assert re.fullmatch(rf"152502-{today:%Y%m%d}-W000001", case.case_no)
    assert case.status == "received" and case.window.code == "XL-W01" and case.item.code == "ITEM-STEPS"
    assert len(case.check_code) == 6
    event = last_event(case)
    assert (event.type, event.source, event.client.name) == ("received", "workbench", "workbench")
    assert event.data["staff"] == "S-clerk" and case.applicant_id_number == ID
    assert "applicant" not in event.data  # personal data: kept apart, encrypted (cases.applicants)
    client = ApiClient.objects.get(name="workbench")
    assert client.active is False and list(client.departments.values_list("code", flat=True)) == ["XL-SCJ"]
    register(clerk_client)
    assert Case.objects.order_by("case_no").last().case_no.endswith("-W000002")


def test_it_shows_the_receipt_with_case_number_and_check_code_unmasked_to_the_registering_clerk(clerk_client, case):
    page = clerk_client.get(f"/cases/workbench/{case.case_no}/receipt/").content.decode()
    assert case.case_no in page and case.check_code in page and "受理回执" in page
    assert ID in page and PHONE in page
    assert AuditEntry.objects.filter(action="view_unmasked", object_id=case.case_no).count() == 1


def test_it_masks_the_applicant_on_the_case_page_even_for_the_registering_clerk(clerk_client, case):
    page = clerk_client.get(f"/cases/workbench/{case.case_no}/").content.decode()
    assert ID not in page and PHONE not in page
    assert "152502********1234"[:6] in page and "139****2345" in page
    assert not AuditEntry.objects.filter(action="view_unmasked").exists()


def test_it_masks_the_receipt_for_a_manager_who_did_not_register_it(client, case, people):
    client.force_login(people["manager"])
    page = client.get(f"/cases/workbench/{case.case_no}/receipt/").content.decode()
    assert case.check_code in page and ID not in page and "139****2345" in page


def test_it_shows_a_supervisor_the_identity_unmasked_and_logs_it(client, case, people):
    client.force_login(people["supervisor"])
    page = client.get(f"/cases/workbench/{case.case_no}/").content.decode()
    assert ID in page and PHONE in page
    entry = AuditEntry.objects.get(action="view_unmasked", object_id=case.case_no)
    assert entry.actor == people["supervisor"]


def test_it_keeps_the_audit_row_of_a_registration_masked(case):
    entry = AuditEntry.objects.get(action="workbench.register")
    assert ID not in str(entry.after) and entry.after["case_no"] == case.case_no


# -- bad input ------------------------------------------------------------------------------------
@pytest.mark.parametrize("field,value,message", [
    ("applicant_id_number", "15250219900101", "申请人身份证号：身份证号应为 18 位"),
    ("applicant_id_number", ID[:17] + ("0" if ID[17] != "0" else "1"), "校验位错误"),
    ("applicant_id_number", "15250219901301123X", "出生日期"),
    ("applicant_phone", "12345", "联系电话："),
    ("applicant_name", "", "申请人姓名："),
    ("item", "ITEM-OTHER", "办理事项："),  # another department's item is not a choice
])
def test_it_names_the_field_of_each_registration_error(clerk_client, field, value, message):
    response = register(clerk_client, **{field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CaseEvent.objects.exists()


def test_it_checks_id_numbers_by_gb_11643():
    assert id_number_problem("11010519491231002X") is None  # the standard's own example
    assert id_number_problem("110105194912310021") is not None


def test_it_names_the_field_of_an_action_error(clerk_client, case):
    response = act(clerk_client, case, "reject", reason="")
    assert response.status_code == 400 and "理由：" in response.content.decode()
    assert refreshed(case).status == "received"


def test_it_refuses_an_action_the_status_does_not_allow(clerk_client, case):
    response = act(clerk_client, case, "resume")
    assert response.status_code == 302
    assert CaseEvent.objects.count() == 1 and refreshed(case).status == "received"


# -- each action ---------------------------------------------------------------------------------
def test_it_accepts_and_starts_the_clocks(clerk_client, case):
    act(clerk_client, case, "accept")
    case = refreshed(case)
    assert last_event(case).type == "accepted" and last_event(case).data["staff"] == "S-clerk"
    today = timezone.localdate()
    cal = load_calendar()
    assert case.status == "in_progress" and case.promised_due == cal.add_wd(today, 10)
    assert case.legal_due == cal.add_wd(today, 20)
    page = clerk_client.get(f"/cases/workbench/{case.case_no}/").content.decode()
    assert case.promised_due.isoformat() in page and case.legal_due.isoformat() in page
    assert 'data-field="remaining">10<' in page


def test_it_rejects_with_a_reason(clerk_client, case):
    act(clerk_client, case, "reject", reason="不属于本部门职权范围")
    assert refreshed(case).status == "rejected"
    assert last_event(case).data == {"staff": "S-clerk", "reason": "不属于本部门职权范围"}


def test_it_requests_a_supplement_and_receives_it(clerk_client, case):
    act(clerk_client, case, "request_supplement", other_materials="营业执照副本\n法定代表人身份证明")
    assert refreshed(case).status == "awaiting_supplement"
    assert last_event(case).data == {"materials": ["营业执照副本", "法定代表人身份证明"]}
    act(clerk_client, case, "supplement_received")
    assert refreshed(case).status == "received" and last_event(case).type == "supplement_received"


def test_it_requires_at_least_one_material_for_a_supplement(clerk_client, case):
    response = act(clerk_client, case, "request_supplement", other_materials="  ")
    assert response.status_code == 400 and "一次性告知" in response.content.decode()


def test_it_starts_and_completes_steps_with_opinions(clerk_client, case, people):
    act(clerk_client, case, "accept")
    act(clerk_client, case, "complete_step", step="cb", opinion="材料齐全，符合要求")
    event = last_event(case)
    assert (event.type, event.data) == ("step_completed", {"step": "cb", "opinion": "材料齐全，符合要求",
                                                            "staff": "S-clerk"})
    clerk_client.force_login(people["manager"])  # 审核 is the 科长's
    act(clerk_client, case, "start_step", step="sh")
    assert last_event(case).type == "step_started"
    page = clerk_client.get(f"/cases/workbench/{case.case_no}/").content.decode()
    assert "材料齐全，符合要求" in page
    assert re.search(r'wb-step--completed[^"]*" data-step="cb"', page)
    assert re.search(r'wb-step--in_progress[^"]*" data-step="sh"', page)


def test_it_suspends_and_resumes(clerk_client, case):
    act(clerk_client, case, "accept")
    act(clerk_client, case, "suspend", kind="special_procedure", reason="组织专家评审")
    assert refreshed(case).status == "suspended"
    assert last_event(case).data == {"kind": "special_procedure", "reason": "组织专家评审"}
    page = clerk_client.get(f"/cases/workbench/{case.case_no}/").content.decode()
    assert "暂停计时中" in page
    act(clerk_client, case, "resume")
    assert refreshed(case).status == "in_progress"


def test_it_extends_with_an_approver(clerk_client, case):
    act(clerk_client, case, "accept")
    before = refreshed(case).promised_due
    act(clerk_client, case, "extend", days="3", approved_by="王局长", reason="情况复杂")
    case = refreshed(case)
    assert case.extension_days == 3 and case.promised_due == load_calendar().add_wd(before, 3)
    assert last_event(case).data == {"days": 3, "approved_by": "王局长", "reason": "情况复杂"}


def test_it_records_an_extension_beyond_the_maximum_and_the_alert_shows(clerk_client, case):
    act(clerk_client, case, "accept")
    act(clerk_client, case, "extend", days="15", approved_by="王局长", reason="情况复杂")
    assert refreshed(case).extension_days == 0
    assert Alert.objects.filter(subject_key=case.case_no, rule="EXTENSION_INVALID").exists()
    assert "违规延期" in clerk_client.get(f"/cases/workbench/{case.case_no}/").content.decode()


def test_it_charges_a_fee_and_a_fee_above_the_standard_raises_fee_over_standard(clerk_client, case):
    act(clerk_client, case, "accept")
    act(clerk_client, case, "charge_fee", fee_code="GB", amount="8")
    assert last_event(case).data == {"fee_code": "GB", "amount": "8.00"}
    assert not Alert.objects.exists()
    act(clerk_client, case, "charge_fee", fee_code="GB", amount="50.00")
    alert = Alert.objects.get(subject_key=case.case_no)
    assert (alert.rule, alert.level) == ("FEE_OVER_STANDARD", "red")
    assert refreshed(case).alert_level == "red"
    page = clerk_client.get(f"/cases/workbench/{case.case_no}/").content.decode()
    assert 'data-rule="FEE_OVER_STANDARD"' in page and "超标准收费" in page


def test_it_refuses_a_fee_code_the_item_does_not_list(clerk_client, case):
    response = act(clerk_client, case, "charge_fee", fee_code="XX", amount="5")
    assert response.status_code == 400 and "收费项目：" in response.content.decode()


def test_it_completes_and_a_skipped_step_is_an_alert(clerk_client, case):
    act(clerk_client, case, "accept")
    act(clerk_client, case, "complete", result="approved")
    case = refreshed(case)
    assert case.status == "completed" and last_event(case).data == {"result": "approved", "staff": "S-clerk"}
    assert Alert.objects.filter(subject_key=case.case_no, rule="STEP_SKIPPED").exists()
    page = clerk_client.get(f"/cases/workbench/{case.case_no}/").content.decode()
    assert "办件已终结" not in page or "收费" in page  # a fee may still be charged after completion


def test_it_withdraws(clerk_client, case):
    act(clerk_client, case, "withdraw", reason="申请人主动撤回")
    assert refreshed(case).status == "withdrawn" and last_event(case).type == "withdrawn"
    assert AuditEntry.objects.filter(action="workbench.withdraw", object_id=case.case_no).exists()


def test_it_lets_a_manager_register_at_a_window_of_the_department(client, people, org):
    client.force_login(people["manager"])
    response = register(client, item_code="ITEM-PLAIN", window=org["window"].pk)
    assert response.status_code == 302
    assert Case.objects.get().window == org["window"]


# -- scope --------------------------------------------------------------------------------------
def test_it_hides_a_case_from_a_clerk_at_another_window(client, case, people):
    client.force_login(people["clerk2"])
    assert client.get(f"/cases/workbench/{case.case_no}/").status_code == 404
    assert act(client, case, "accept").status_code == 404
    assert client.get(f"/cases/workbench/{case.case_no}/receipt/").status_code == 404
    assert refreshed(case).status == "received"


def test_it_hides_a_case_from_another_department(client, case, people):
    client.force_login(people["other_manager"])
    assert client.get(f"/cases/workbench/{case.case_no}/").status_code == 404
    assert act(client, case, "accept").status_code == 404


def test_it_lets_the_centre_read_but_not_act(client, case, people):
    client.force_login(people["supervisor"])
    page = client.get(f"/cases/workbench/{case.case_no}/")
    assert page.status_code == 200 and "办理操作" not in page.content.decode()
    assert act(client, case, "accept").status_code == 403
    assert client.get("/cases/workbench/new/").status_code == 403
    assert refreshed(case).status == "received"


def test_it_refuses_people_without_a_role(client, people):
    client.force_login(people["outsider"])
    assert client.get("/cases/workbench/").status_code == 403
    client.logout()
    assert client.get("/cases/workbench/").status_code == 302  # to the log-in page


# -- the list ----------------------------------------------------------------------------------
def old_case(api_client, case_no, days_ago):
    """A case received and accepted long ago at the clerk's window (sent by an approval system)."""
    at = (timezone.now() - timedelta(days=days_ago)).isoformat()
    client, _ = api_client
    ingest(client, [ev(case_no, "received", at, item_code="ITEM-PLAIN", window="XL-W01",
                       applicant={"name": "李四"}), ev(case_no, "accepted", at, staff="S-clerk")])


def test_it_lists_open_cases_first_with_overdue_ones_highlighted(clerk_client, case, api_client):
    old_case(api_client, "OLD-LATE", 60)
    act(clerk_client, case, "withdraw", reason="撤回")
    page = clerk_client.get("/cases/workbench/?state=all").content.decode()
    assert page.index("OLD-LATE") < page.index(case.case_no)
    assert re.search(r'class="is-late">\s*<td[^>]*><a class="code" href="/cases/workbench/OLD-LATE/"', page)
    open_page = clerk_client.get("/cases/workbench/").content.decode()
    assert "OLD-LATE" in open_page and case.case_no not in open_page
    late_page = clerk_client.get("/cases/workbench/?state=late").content.decode()
    assert "OLD-LATE" in late_page


def test_it_filters_by_applicant_and_alert_level(clerk_client, case, api_client):
    old_case(api_client, "OLD-LATE", 60)
    page = clerk_client.get("/cases/workbench/?q=李四").content.decode()
    assert "OLD-LATE" in page and case.case_no not in page
    page = clerk_client.get("/cases/workbench/?level=red").content.decode()
    assert "OLD-LATE" in page and case.case_no not in page


def test_it_shows_a_clerk_only_their_windows_cases(client, case, people):
    client.force_login(people["clerk2"])
    assert case.case_no not in client.get("/cases/workbench/").content.decode()
    client.force_login(people["manager"])
    assert case.case_no in client.get("/cases/workbench/").content.decode()


def test_it_lists_with_a_bounded_number_of_queries(clerk_client, case, api_client):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert clerk_client.get("/cases/workbench/?state=all").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for n in range(8):
        old_case(api_client, f"OLD-{n}", 3 + n)
    assert count() == few


def test_it_paginates(clerk_client, api_client):
    for n in range(30):
        old_case(api_client, f"OLD-{n:02d}", 1)
    first = clerk_client.get("/cases/workbench/").content.decode()
    second = clerk_client.get("/cases/workbench/?page=2").content.decode()
    assert "第 1 / 2 页" in first and "第 2 / 2 页" in second
    assert len(re.findall(r'class="code" href="/cases/workbench/OLD-', first)) == 25
    assert len(re.findall(r'class="code" href="/cases/workbench/OLD-', second)) == 5


def test_it_speaks_english(clerk_client, case):
    page = clerk_client.get(f"/cases/workbench/{case.case_no}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Working days left" in page and "Actions" in page
    listing = clerk_client.get("/cases/workbench/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Register a case" in listing and "1 case" in listing


# -- who may do a step: the step's post, separation of duties (issue 14, defect 10) ---------------
def step_buttons(client, case):
    """The step codes the case page offers the logged-in user a 完成 button for."""
    page = client.get(f"/cases/workbench/{case.case_no}/").content.decode()
    return re.findall(r'name="complete_step-step" value="([^"]+)"', page)


def as_user(client, user):
    client.force_login(user)
    return client


def test_it_offers_each_person_only_the_steps_of_their_post(clerk_client, case, people):
    act(clerk_client, case, "accept")
    assert step_buttons(clerk_client, case) == ["cb"]  # 承办人
    assert step_buttons(as_user(clerk_client, people["manager"]), case) == ["sh"]  # 科长
    assert step_buttons(as_user(clerk_client, people["head"]), case) == ["sp"]  # 分管局长


def test_it_refuses_a_forged_step_of_another_post_with_a_clear_message(clerk_client, case):
    act(clerk_client, case, "accept")
    response = act(clerk_client, case, "complete_step", step="sp", opinion="同意")
    assert response.status_code == 400
    assert "环节“审批”须由“分管局长”岗位的人员办理，您的岗位是“承办人”" in response.content.decode()
    assert response.context["bound_form"].non_field_errors()
    assert act(clerk_client, case, "start_step", step="sh").status_code == 400
    assert last_event(case).type == "accepted"  # nothing recorded


def test_it_lets_nobody_approve_a_case_they_handled(client, case, people):
    """The attack of defect 10: one clerk did 承办, then 审批, then 办结, alone. Here the clerk holds both
    posts (一人多岗) and still may not approve what they handled; another person may."""
    both = as_user(client, people["both"])
    act(both, case, "accept")
    act(both, case, "complete_step", step="cb", opinion="材料齐全")
    assert step_buttons(both, case) == []  # 审核 is the 科长's, 审批 is now someone else's
    for action in ("complete_step", "start_step"):
        response = act(both, case, action, step="sp", opinion="同意")
        assert response.status_code == 400
        assert "您已完成本办件的“承办”环节，“审批”须由其他人员办理" in response.content.decode()
    assert last_event(case).data["step"] == "cb"
    act(as_user(client, people["manager"]), case, "complete_step", step="sh")
    head = as_user(client, people["head"])
    assert step_buttons(head, case) == ["sp"]
    assert act(head, case, "complete_step", step="sp", opinion="同意").status_code == 302
    assert last_event(case).data == {"step": "sp", "opinion": "同意", "staff": "S-head"}
    assert not Alert.objects.filter(rule="SAME_HANDLER_APPROVAL").exists()


def test_it_lets_nobody_handle_a_case_they_approved(client, case, people):
    both = as_user(client, people["both"])
    act(both, case, "accept")
    act(both, case, "complete_step", step="sp")  # out of order: recorded, and STEP_OUT_OF_ORDER says so
    response = act(both, case, "complete_step", step="cb")
    assert response.status_code == 400 and "您已完成本办件的“审批”环节" in response.content.decode()
    assert act(as_user(client, people["clerk"]), case, "complete_step", step="cb").status_code == 302


def test_it_raises_same_handler_approval_for_an_approval_system_that_lets_one_person_do_both(
        client, api_client, people, items):
    """ClearWindow cannot stop an approval system's clerk: the rule reports it (yellow, one per case)."""
    _, key = api_client
    from clearwindow.testing.events import post
    events = [ev("AS-1", "received", "2026-03-02T09:00:00+08:00", item_code="ITEM-STEPS", window="XL-W01"),
              ev("AS-1", "accepted", "2026-03-02T09:10:00+08:00", staff="wangfang"),
              ev("AS-1", "step_completed", "2026-03-03T10:00:00+08:00", step="cb", staff="wangfang"),
              ev("AS-1", "step_completed", "2026-03-04T10:00:00+08:00", step="sh", staff="liming"),
              ev("AS-1", "step_completed", "2026-03-05T10:00:00+08:00", step="sp", staff=" WangFang "),
              ev("AS-1", "completed", "2026-03-05T11:00:00+08:00", result="approved", staff="wangfang")]
    assert post(client, key, events).json()["accepted"] == 6
    alert = Alert.objects.get(subject_key="AS-1", rule="SAME_HANDLER_APPROVAL")
    assert alert.level == "yellow" and alert.raised_at.isoformat() == "2026-03-05T02:00:00+00:00"
    page = as_user(client, people["manager"]).get("/cases/workbench/AS-1/")
    assert "一人既承办又审批" in page.content.decode()
    english = client.get("/cases/workbench/AS-1/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Same person handled and approved" in english


def test_it_knows_the_same_step_kinds_as_the_catalog():
    from catalog.schema import STEP_KINDS

    from ..rules import STEP_KINDS as CLOCK_KINDS
    assert STEP_KINDS == CLOCK_KINDS


def test_it_lets_anyone_who_acts_do_a_step_that_names_no_post(client, people, org):
    steps = [{"code": "hy", "name": "核验", "limit_days": 1, "responsible": "", "duties": "", "required": True},
             {"code": "qf", "name": "签发", "limit_days": 1, "responsible": " ", "duties": "", "required": True}]
    make_item(org["dept"], "ITEM-OPEN", steps=steps)
    clerk = as_user(client, people["clerk"])
    assert register(clerk, item_code="ITEM-OPEN").status_code == 302
    case = Case.objects.get()
    act(clerk, case, "accept")
    assert step_buttons(clerk, case) == ["hy", "qf"]
    act(clerk, case, "complete_step", step="hy")
    assert step_buttons(clerk, case) == []  # the first step handles, the last approves: not the same person
    assert step_buttons(as_user(client, people["manager"]), case) == ["qf"]
