"""The printable 督办单 in a real Chromium: on screen at 1440×900 and 390×844 in both languages, and as
printed (print media: no toolbar, one A4 page). Screenshots go to test-artifacts/urge-print-*.png."""
import pytest

from alerts.models import Alert
from clearwindow.testing.events import ev, post
from core.testing.browser import log_in, screenshot
from supervision.actions import do_issue_urges

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = {"desktop": (1440, 900), "phone": (390, 844)}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_it_shows_and_prints_the_urge(live_server, new_page, client, api_client, people, org, size, language):
    _, key = api_client
    at = "2025-09-30T09:10:00+08:00"
    post(client, key, [ev("XL-LATE", "received", at, item_code="ITEM-PLAIN"), ev("XL-LATE", "accepted", at, staff="a")])
    alerts = list(Alert.objects.filter(subject_key="XL-LATE"))
    urge, = do_issue_urges(alerts, centre=org["centres"]["152502"], actor=people["county_supervisor"],
                           demand="请于期限内说明超期原因，并报送整改情况。")
    page = new_page(*SIZES[size], locale=language)
    log_in(page, live_server.url, "county_sup")
    page.goto(live_server.url + f"/supervision/urges/{urge.number}/print/")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert page.locator(".seal").count() == 2
    screenshot(page, f"urge-print-{size}-{language}")
    page.emulate_media(media="print")
    assert not page.locator(".toolbar").is_visible()
    if size == "desktop":
        screenshot(page, f"urge-print-as-printed-{language}")

    manager = new_page(*SIZES[size], locale=language)
    log_in(manager, live_server.url, "manager")
    manager.goto(live_server.url + f"/supervision/urges/{urge.number}/")
    assert manager.locator("input[type=file][name=attachments]").is_visible()
    assert manager.locator(f'a[href="/supervision/urges/{urge.number}/print/"]').is_visible()
    assert manager.evaluate("document.documentElement.scrollWidth <= innerWidth")
    screenshot(manager, f"urge-detail-manager-{size}-{language}")
