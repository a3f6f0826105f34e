"""A clerk takes a case through the workbench in a real Chromium, and the applicant looks it up on the
portal. Screenshots go to test-artifacts/workbench-*.png and track-*.png."""
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from catalog.models import Item, ItemVersion
from core.roles import Role
from core.testing.browser import DESKTOP, MOBILE, browser_fixtures, log_in, screenshot
from orgs.models import Staff

from ..ingest import ingest
from .. import applicants
from ..models import Case
from ..actions import with_check_digit
from clearwindow.testing.events import ev

browser, new_page = browser_fixtures()
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-browser-1"
STEPS = [
    {"code": "cb", "name": "承办", "limit_days": 3, "responsible": "承办人", "duties": "审查材料", "required": True},
    {"code": "hc", "name": "现场核查", "limit_days": 3, "responsible": "核查人", "duties": "现场核查", "required": True},
    {"code": "sp", "name": "审批", "limit_days": 2, "responsible": "分管局长", "duties": "审批", "required": True},
]
MATERIALS = [{"name": "食品经营许可申请书", "copies": 1, "required": True},
             {"name": "营业执照复印件", "copies": 1, "required": True},
             {"name": "食品安全管理制度文本", "copies": 1, "required": True}]


def food_item(dept):
    item = Item.objects.create(code="XL-SCJ-001", department=dept)
    ItemVersion.objects.create(
        item=item, number=1, effective_from=date(2024, 1, 1), name="食品经营许可证核发", kind="licensing",
        legal_basis="《中华人民共和国食品安全法》第三十五条", legal_limit_days=20, promised_limit_days=10,
        steps=STEPS, materials=MATERIALS, consult_phone="0479-8221234", complaint_phone="0479-12345",
        fees=[{"code": "GBF", "name": "证书工本费", "max_amount": "10.00", "basis": "发改价格〔2017〕1号"}],
    )
    return item


def history(client, item):
    """A few older cases at the clerk's window so the list looks like a working day."""
    now = timezone.now()
    rows = []
    for n, (days_ago, name, accept) in enumerate(((40, "王建国", True), (9, "李秀英", True), (2, "巴特尔", True),
                                                   (1, "其其格", False))):
        at = (now - timedelta(days=days_ago)).isoformat()
        no = f"152502-{(now - timedelta(days=days_ago)):%Y%m%d}-{n + 1:04d}"
        rows.append(ev(no, "received", at, item_code=item.code, window="XL-W01", channel="window",
                       applicant={"name": name, "id_number": with_check_digit("15250219800101002"),
                                  "phone": "13800000000"}))
        if accept:
            rows.append(ev(no, "accepted", at, staff="S-clerk"))
    ingest(client, rows, now=now)


def clerk(org):
    user = get_user_model().objects.create_user("wangli", password=PASSWORD, first_name="王丽")
    Staff.objects.create(user=user, code="S-clerk", name="王丽", role=Role.WINDOW_STAFF, department=org["dept"],
                         window=org["window"], post="承办人、核查人")
    return user


def head(org):
    """The 分管局长 who approves: the clerk who handled the case may not (separation of duties)."""
    user = get_user_model().objects.create_user("zhaoming", password=PASSWORD, first_name="赵明")
    Staff.objects.create(user=user, code="S-head", name="赵明", role=Role.DEPT_MANAGER, department=org["dept"],
                         post="分管局长")
    return user


def test_it_takes_a_case_from_registration_to_completion_and_the_public_sees_it(live_server, new_page, org,
                                                                                 calendar_seeded, api_client):
    item = food_item(org["dept"])
    api_client[0].departments.add(org["dept"])
    history(api_client[0], item)
    clerk(org)
    page = new_page(*DESKTOP)
    log_in(page, live_server.url, "wangli", PASSWORD, next_url="/cases/workbench/")
    assert page.locator(".wb-table tr.is-late").count() == 1
    screenshot(page, "workbench-list")

    page.get_by_role("link", name="收件登记").first.click()
    page.select_option("#id_item", "XL-SCJ-001")
    page.fill("#id_applicant_name", "张三")
    page.fill("#id_applicant_phone", "13947912345")
    page.fill("#id_applicant_id_number", "152502199001011230")
    page.get_by_role("button", name="登记并生成回执").click()
    assert "申请人身份证号：身份证号校验位错误" in page.locator(".field__error").inner_text()
    screenshot(page, "workbench-register-error")

    good_id = with_check_digit("15250219900101123")
    page.fill("#id_applicant_id_number", good_id)
    page.get_by_role("button", name="登记并生成回执").click()
    page.wait_for_url("**/receipt/")
    case = Case.objects.get(applicants.search("张三"))
    assert page.locator("[data-field=case_no]").inner_text() == case.case_no
    assert page.locator("[data-field=check_code]").inner_text() == case.check_code
    assert page.locator("[data-field=id_number]").inner_text() == good_id
    screenshot(page, "workbench-receipt")

    page.get_by_role("link", name="进入办理").click()
    page.locator("[data-action=accept] button").click()
    page.wait_for_load_state()
    assert page.locator("[data-field=status]").inner_text() == "办理中"
    assert page.locator("[data-field=remaining]").inner_text() == "10"
    case.refresh_from_db()
    assert page.locator("[data-field=promised_due]").inner_text() == case.promised_due.isoformat()
    assert page.locator("[data-field=legal_due]").inner_text() == case.legal_due.isoformat()

    page.fill("#op-cb", "材料齐全，符合法定形式")
    page.locator("[data-step=cb] .wb-step__complete button").click()
    page.wait_for_load_state()
    assert "wb-step--completed" in page.locator("[data-step=cb]").get_attribute("class")
    page.locator("[data-action=charge_fee] summary").click()
    page.fill("#id_charge_fee-amount", "50")
    page.locator("[data-action=charge_fee] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[data-rule=FEE_OVER_STANDARD]").is_visible()
    screenshot(page, "workbench-case")

    page.locator("[data-step=hc] .wb-step__complete button").click()
    page.wait_for_load_state()
    assert page.locator("[data-step=sp] .wb-step__complete button").count() == 0  # the clerk handled it: not hers to approve

    head(org)
    page = new_page(*DESKTOP)
    log_in(page, live_server.url, "zhaoming", PASSWORD, next_url="/cases/workbench/")
    page.goto(live_server.url + f"/cases/workbench/{case.case_no}/")
    page.locator("[data-step=sp] .wb-step__complete button").click()
    page.wait_for_load_state()
    page.locator("[data-action=complete] summary").click()
    page.locator("[data-action=complete] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[data-field=status]").inner_text() == "已办结"
    screenshot(page, "workbench-case-completed")

    public = new_page(*DESKTOP)
    public.goto(live_server.url + "/track/")
    public.fill("#id_case_no", case.case_no)
    public.fill("#id_check_code", case.check_code)
    public.get_by_role("button", name="查询").click()
    public.wait_for_load_state()
    assert public.locator("[data-field=status]").inner_text() == "已办结"
    assert public.locator("[data-field=late]").inner_text() == "未超期"
    assert "已完成 3 / 3 个环节" in public.locator(".track-result").inner_text()
    screenshot(public, "track-result")

    phone = new_page(*MOBILE)
    phone.goto(live_server.url + "/track/")
    phone.fill("#id_case_no", case.case_no)
    phone.fill("#id_check_code", "000000" if case.check_code != "000000" else "111111")
    phone.get_by_role("button", name="查询").click()
    phone.wait_for_load_state()
    assert "办件编号或查询码不正确" in phone.locator(".track-form__error").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= MOBILE[0]
    screenshot(phone, "track-wrong-code-mobile")
