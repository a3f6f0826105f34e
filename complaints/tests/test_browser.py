"""Complaints in a real Chromium: a citizen files a complaint with a photo and later reads its answer;
the department answers without ever seeing who complained; the centre verifies, feeds back, archives;
the analysis page counts it. Screenshots go to test-artifacts/complaints-*.png."""
import re

import pytest
from django.utils import timezone

from core.testing.browser import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" \
      b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"


def test_it_runs_a_complaint_from_the_portal_to_the_archive(live_server, new_page, org, people, calendar_seeded):
    base = live_server.url
    citizen = new_page(1366, 900)
    citizen.goto(base + "/complaints/new/")
    citizen.select_option("#id_category", "delay")
    citizen.select_option("#id_department", str(org["dept"].pk))
    citizen.fill("#id_subject", "营业执照变更拖延")
    citizen.fill("#id_content", "三月初申请营业执照变更，窗口一直说系统故障，<b>至今未办</b>。")
    citizen.fill("#id_name", "王秀英")
    citizen.fill("#id_phone", "13912345678")
    citizen.set_input_files("#id_attachments", files=[{"name": "现场.png", "mimeType": "image/png", "buffer": PNG}])
    screenshot(citizen, "complaints-portal-form")
    citizen.get_by_role("button", name="提交投诉").click()
    number = citizen.locator("[data-field=number]").inner_text()
    secret = citizen.locator("[data-field=secret]").inner_text()
    assert re.fullmatch(r"TS\d{8}-\d{4}", number) and len(secret) == 8
    screenshot(citizen, "complaints-portal-receipt")
    citizen.set_viewport_size({"width": 390, "height": 844})   # on a phone the number was cut off by its box
    for field in ("number", "secret"):
        shown = citizen.locator(f"[data-field={field}]").evaluate(
            "el => { const box = el.closest('.keyfacts__item').getBoundingClientRect(), r = el.getBoundingClientRect();"
            " return r.right <= box.right + 1 && el.scrollWidth <= el.clientWidth + 1; }")
        assert shown, field

    centre = new_page(1366, 900)
    log_in(centre, base, "county_sup")
    centre.goto(base + "/office/complaints/")
    centre.get_by_role("link", name=number).click()
    assert "王秀英" in centre.locator("[data-field=identity]").inner_text()
    assert "现场.png" in centre.content()
    centre.get_by_role("button", name="登记受理").click()
    centre.select_option("#assign-dept", str(org["dept"].pk))
    centre.fill("#assign-text", "群众反映营业执照变更拖延，请核查原因并答复。")
    centre.get_by_role("button", name="交办").click()
    screenshot(centre, "complaints-centre-assigned")

    dept = new_page(1366, 900)
    log_in(dept, base, "manager")
    dept.goto(base + "/office/complaints/")
    dept.get_by_role("link", name=number).click()
    page_text = dept.content()
    assert "王秀英" not in page_text and "13912345678" not in page_text and "现场.png" not in page_text
    assert "请核查原因并答复" in page_text
    dept.fill("#findings", "经查属实：窗口人员未按规定一次性告知。")
    dept.fill("#measures", "已批评教育，当日办结变更。")
    dept.get_by_role("button", name="提交答复").click()
    assert "王秀英" not in dept.content()
    screenshot(dept, "complaints-department-answered")

    centre.reload()
    centre.get_by_role("button", name="核实通过").click()
    centre.fill("#feedback", "经核查，您反映的问题属实，已责令整改并办结。")
    centre.get_by_role("button", name="反馈投诉人").click()

    citizen.goto(base + "/complaints/track/")
    citizen.fill("#id_number", number)
    citizen.fill("#id_secret", secret)
    citizen.get_by_role("button", name="查询").click()
    assert "已责令整改并办结" in citizen.locator("[data-field=feedback]").inner_text()
    assert "<b>至今未办</b>" in citizen.locator(".cw-text").first.inner_text()  # markup shown as text, inert
    citizen.get_by_label("满意", exact=True).check()
    screenshot(citizen, "complaints-portal-progress")
    citizen.get_by_role("button", name="提交评价").click()
    assert citizen.locator("[data-field=status]").inner_text() == "已办结"

    centre.reload()
    centre.select_option("#id_validity", "valid")
    centre.get_by_role("button", name="归档").click()
    assert "已归档" in centre.content()
    screenshot(centre, "complaints-centre-archived")

    centre.goto(f"{base}/office/complaints/analysis/?period={timezone.localdate():%Y-%m}")
    assert centre.locator("[data-field=total]").inner_text() == "1"
    assert centre.locator("[data-field=satisfaction]").inner_text() == "100.0%"
    assert centre.locator("[data-field=on_time]").inner_text() == "100.0%"
    centre.wait_for_selector("#chart-month canvas", state="attached")
    screenshot(centre, "complaints-analysis")
