"""The monitoring centre in a real Chromium at 1920×1080: the wall moves after events are posted
through the API, and a supervisor replays a case with the as_of slider. Screenshots go to
test-artifacts/ (supervision-wall.png, supervision-case.png) for a person to look at."""
import json
import urllib.request
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from clearwindow.testing.events import earlier_today, ev
from core.testing.browser import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TZ = ZoneInfo("Asia/Shanghai")
WALL = (1920, 1080)


def send(live_server, key, events):
    """POST /api/v1/events over HTTP, as an approval system would."""
    request = urllib.request.Request(live_server.url + "/api/v1/events", data=json.dumps({"events": events}).encode(),
                                     headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as reply:
        body = json.loads(reply.read())
    assert body["accepted"] == len(events), body



def test_it_moves_the_wall_after_events_are_posted_through_the_api(live_server, new_page, people, api_client):
    _, key = api_client
    old = "2025-09-30T09:10:00+08:00"
    send(live_server, key, [ev("W-OLD", "received", old, item_code="ITEM-PLAIN"), ev("W-OLD", "accepted", old, staff="a")])
    page = new_page(*WALL)
    log_in(page, live_server.url, "league_sup")
    page.goto(live_server.url + "/supervision/centre/wall/")
    received = page.locator('.wall__kpis [data-k="today.received"]')
    assert received.inner_text() == "0"
    # the trend chart's table for screen readers: today is its last row, 收件 its fifth column
    today_received = page.locator('[data-sr="trend"] tr').last.locator("td").nth(3)
    assert today_received.inner_text() == "0"
    assert page.locator(".tile").count() == 3  # the League itself and its two banners in the fixture
    assert page.evaluate("document.documentElement.scrollHeight <= innerHeight && "
                         "document.documentElement.scrollWidth <= innerWidth")  # no page scrollbars

    at = earlier_today(10)
    send(live_server, key, [ev(f"W-{i}", "received", at, item_code="ITEM-PLAIN", window="XL-W01") for i in range(3)]
         + [ev("W-0", "accepted", at, staff="a")])
    # a locator wait, not wait_for_function: the Content-Security-Policy refuses the eval it runs on
    expect(page.locator('.wall__kpis [data-k="today.received"]')).to_have_text("3", timeout=5000)
    assert page.locator('.wall__kpis [data-k="today.accepted"]').inner_text() == "1"
    assert page.locator('.wall__kpis [data-k="open.open"]').inner_text() == "4"
    assert "W-OLD" in page.locator("[data-feed]").inner_text()
    # … and it changed with the chart, from the same snapshot, not left as it was at page load
    assert today_received.inner_text() == "3"
    assert page.locator('[data-sr="trend"] tr').count() == 14
    live = page.request.get(live_server.url + "/supervision/centre/live/").json()
    shown = page.locator('[data-sr="trend"] tr').last.locator("th, td").all_inner_texts()
    today = live["trend"][-1]
    assert shown == [today["day"]] + [str(today[k]) for k in ("red", "yellow", "notice", "received", "completed")]
    page.wait_for_timeout(800)  # let ECharts finish its animation for the screenshot
    screenshot(page, "supervision-wall", full_page=False)


def test_it_lets_a_supervisor_replay_a_case_with_the_slider(live_server, new_page, people, api_client):
    _, key = api_client
    old = "2025-09-30T09:10:00+08:00"
    send(live_server, key, [ev("R-1", "received", old, item_code="ITEM-STEPS", window="XL-W01",
                               applicant={"name": "张三", "id_number": "152502199001011234", "phone": "13912345678"}),
                            ev("R-1", "accepted", old, staff="a"),
                            ev("R-1", "step_completed", "2025-10-09T10:00:00+08:00", step="cb", staff="a")])
    page = new_page(*WALL)
    log_in(page, live_server.url, "county_sup")
    page.goto(live_server.url + "/supervision/cases/")
    page.fill("#q", "R-1")
    page.click(".search-form button[type=submit]")
    page.get_by_role("link", name="R-1").click()
    page.wait_for_url("**/supervision/cases/R-1/")
    assert "超期" in page.locator('[data-remaining="promised"]').inner_text()
    assert "152502********1234" in page.content()

    instant = int(datetime(2025, 10, 10, 12, tzinfo=TZ).timestamp())
    page.evaluate("t => { const s = document.getElementById('asof'); s.value = t; "
                  "s.dispatchEvent(new Event('input', {bubbles: true})); }", instant)
    expect(page.locator("[data-remaining=promised]")).to_contain_text("剩余", timeout=5000)
    assert page.locator('[data-remaining="promised"]').inner_text() == "剩余 8 个工作日"  # due 2025-10-21 (10 working days after 09-30, holidays skipped)
    assert "回放" in page.locator(".clocks__at").inner_text()
    assert "2025-10-10 12:00" in page.locator("[data-clock-at]").inner_text()
    screenshot(page, "supervision-case", full_page=False)


def test_the_slider_replays_the_timeline_and_the_header_too(live_server, new_page, people, api_client):
    """Moving the slider to 10-01 takes the 10-09 step off the timeline and the steps table, not only
    the clocks (htmx swaps #clocks, #case-grid and #case-tags from one answer)."""
    _, key = api_client
    old = "2025-09-30T09:10:00+08:00"
    send(live_server, key, [ev("R-2", "received", old, item_code="ITEM-STEPS"), ev("R-2", "accepted", old, staff="a"),
                            ev("R-2", "step_completed", "2025-10-09T10:00:00+08:00", step="cb", staff="a")])
    page = new_page(*WALL)
    log_in(page, live_server.url, "county_sup")
    page.goto(live_server.url + "/supervision/cases/R-2/")
    assert page.locator(".timeline__item").count() == 3
    instant = int(datetime(2025, 10, 1, 12, tzinfo=TZ).timestamp())
    page.evaluate("t => { const s = document.getElementById('asof'); s.value = t; "
                  "s.dispatchEvent(new Event('input', {bubbles: true})); }", instant)
    expect(page.locator(".timeline__item")).to_have_count(2, timeout=5000)
    assert "2025-10-09" not in page.locator("#case-grid").inner_text()
    assert "2025-10-01 12:00" in page.locator("[data-clock-at]").inner_text()
    assert page.locator("#asof").count() == 1  # the slider itself was not swapped away
    screenshot(page, "supervision-case-replayed", full_page=False)
