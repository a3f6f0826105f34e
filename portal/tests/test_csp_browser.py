"""The Content-Security-Policy in a real Chromium: the main pages (portal, a public form, the admin's
log-in, the centre's dashboard and wall with their charts, a case with the htmx replay slider, the alert
list, the video wall with hls.js) run under the policy with no violation in the console, and their
scripts did run."""
import json
import urllib.request

import pytest

from clearwindow.testing.events import ev
from core.testing.browser import log_in
from video.models import Camera, CameraStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def send(base, key, events):
    request = urllib.request.Request(base + "/api/v1/events", data=json.dumps({"events": events}).encode(),
                                     headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as reply:
        assert json.loads(reply.read())["accepted"] == len(events)


def watch(page):
    """The console's CSP errors of this page, as a list that fills while the page runs."""
    refused = []
    page.on("console", lambda m: refused.append(f"{page.url} {m.location} {m.text[:90]}")
            if "Content Security Policy" in m.text else None)
    return refused


def visit(page, url, ready):
    response = page.goto(url)
    assert "script-src 'self'" in response.headers.get("content-security-policy", ""), url
    page.wait_for_selector(ready, state="attached", timeout=10_000)
    page.wait_for_timeout(300)  # let late scripts (charts, htmx, hls.js) run
    return response


def test_it_runs_the_main_pages_under_the_policy_without_a_violation(live_server, new_page, people, api_client,
                                                                   org):
    _, key = api_client
    old = "2025-09-30T09:10:00+08:00"
    send(live_server.url, key, [ev("CSP-1", "received", old, item_code="ITEM-PLAIN", window="XL-W01"),
                                ev("CSP-1", "accepted", old, staff="a")])  # long overdue: alerts, charts
    Camera.objects.create(code="camCSP", name="大厅全景", hall=org["hall"], stream_url="rtsp://127.0.0.1:9/x",
                          status=CameraStatus.ONLINE)
    page = new_page(1920, 1080)
    refused = watch(page)
    base = live_server.url
    visit(page, base + "/", "main")
    visit(page, base + "/complaints/new/", "form")
    visit(page, base + "/admin/login/", "form")
    log_in(page, base, "league_sup")
    visit(page, base + "/supervision/centre/", "canvas")  # ECharts drew
    visit(page, base + "/supervision/centre/wall/", "canvas")
    page.mouse.move(960, 600)  # a chart's tooltip, if it is under the pointer
    visit(page, base + "/supervision/alerts/", "main table, main .empty")
    visit(page, base + "/supervision/cases/CSP-1/", "#clocks")
    assert page.locator("#asof-out").inner_text() != ""  # the replay script ran
    assert page.locator("#clocks .bar span").first.evaluate("e => e.style.width") != ""  # bars sized by site.js
    page.locator("#asof").fill(page.locator("#asof").get_attribute("min"))
    page.wait_for_selector("#clocks .tag--blue", timeout=10_000)  # htmx swapped the clocks in
    visit(page, base + "/video/", ".vtile video")  # hls.js attached to the tile's player
    assert refused == []
