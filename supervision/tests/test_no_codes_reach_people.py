"""Codes never reach people (issue 16 point 7): the pages a centre and a department read — alert list,
the centre's case page (timeline, clocks, alert history), the workbench case page, an urge, the
accountability form pre-filled from an alert, the open-data CSV — show rule, step, fee, channel,
result and status names, in Chinese and in English, never the codes stored underneath.

The data exercises every registered rule (real findings of the clock for one case, one alert row per
other rule), every step of the item, a listed and an unlisted fee, the window/online/mail channels, a
result, and an urge taken through issued → answered → closed. Only the visible text is checked
(tags stripped, attribute values ignored: those may carry codes for scripts and links)."""
import html as htmllib
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from alerts.models import Alert
from alerts.vocab import rule_label, rule_labels
from cases.models import Case
from clearwindow.testing.fixtures import STEPS
from clearwindow.testing.events import ev, post
from supervision.actions import do_answer_urge, do_close_urge, do_issue_urges

pytestmark = pytest.mark.django_db

STEP_CODES = [s["code"] for s in STEPS]  # cb, sh, sp: the demo-style catalog's step codes
FEE_CODES = ["GB", "CXF"]  # a listed fee, an unlisted one
# codes that are also English words: checked on Chinese pages only
WORD_CODES = ["window", "online", "mail", "approved", "denied", "issued", "answered", "closed", "pending", "urged",
              "opened", "scored", "received", "accepted", "notice", "yellow", "red", "api", "workbench"]
# machine names that are no words: checked in both languages
FIELD_CODES = ["league_dept", "county_gov", "in_progress", "awaiting_supplement", "step_completed", "fee_charged",
               "item_code", "fee_code", "approved_by", "special_procedure"]


def visible_text(page):
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<[^>]+>", " ", page)  # tags, with their attribute values
    return htmllib.unescape(page)


def leaked(text, codes):
    return sorted({c for c in codes if re.search(rf"(?<![A-Za-z0-9_]){re.escape(c)}(?![A-Za-z0-9_])", text)})


@pytest.fixture
def world(client, api_client, org, items, people):
    """One case that trips most case rules for real, cases on each channel, an alert for every other
    registered rule, and an urge answered and closed."""
    _, key = api_client
    t0 = (timezone.localtime() - timedelta(days=60)).replace(hour=9, minute=0, second=0, microsecond=0)
    at = lambda days, hours=0: (t0 + timedelta(days=days, hours=hours)).isoformat()  # noqa: E731
    response = post(client, key, [
        ev("XL-A", "received", at(0), item_code="ITEM-STEPS", window="XL-W01", channel="window", staff="clerk"),
        ev("XL-A", "step_completed", at(0, 1), step="sp", staff="wang"),  # before acceptance, out of order
        ev("XL-A", "supplement_requested", at(0, 2), materials=["身份证复印件"]),
        ev("XL-A", "supplement_received", at(1)),
        ev("XL-A", "supplement_requested", at(1, 1), materials=["营业执照"]),
        ev("XL-A", "supplement_received", at(2)),
        ev("XL-A", "accepted", at(2, 1), staff="clerk"),
        ev("XL-A", "step_completed", at(2, 2), step="cb", staff="wang", opinion="同意"),
        ev("XL-A", "fee_charged", at(2, 3), fee_code="GB", amount="50.00"),
        ev("XL-A", "fee_charged", at(2, 4), fee_code="CXF", amount="20.00"),
        ev("XL-A", "extended", at(2, 5), days=30, reason="需要补充调查"),
        ev("XL-A", "suspended", at(40), kind="special_procedure", reason="专家评审"),
        ev("XL-A", "resumed", at(41)),
        ev("XL-A", "completed", at(42), result="approved", staff="clerk"),
        ev("XL-B", "received", at(0), item_code="ITEM-STEPS", channel="online"),
        ev("XL-C", "received", at(0), item_code="ITEM-PLAIN", channel="mail"),
        ev("XL-C", "accepted", at(0, 1), staff="clerk"),
        ev("XL-C", "completed", at(0, 2), result="denied", staff="clerk"),
    ])
    assert response.status_code == 200 and not response.json()["rejected"], response.content
    case = Case.objects.get(case_no="XL-A")
    raised = set(Alert.objects.filter(subject_key="XL-A").values_list("rule", flat=True))
    now = timezone.now()
    for rule in sorted(set(rule_labels()) - set(Alert.objects.values_list("rule", flat=True))):
        Alert.objects.create(subject_type="case", subject_key="XL-B", rule=rule,
                             step="sh" if rule.startswith("STEP_") else "", level="yellow", raised_at=now,
                             department=case.department, region=case.region, centre=org["centres"]["152502"])
    alerts = list(Alert.objects.filter(subject_key="XL-A", status="open")[:2])
    centre = org["centres"]["152502"]
    urge = do_issue_urges(alerts, centre=centre, actor=people["county_supervisor"], demand="请说明原因并整改")[0]
    do_answer_urge(urge, actor=people["manager"], answer="已整改")
    do_close_urge(urge, actor=people["county_supervisor"], note="核查属实")
    return {"case": case, "urge": urge, "alert": alerts[0], "raised": raised}


def pages(client, world, people):
    urge, alert = world["urge"], world["alert"]
    client.force_login(people["county_supervisor"])
    yield "alert list", client.get("/supervision/alerts/?status=all")
    yield "centre case page", client.get("/supervision/cases/XL-A/")
    yield "centre case page (online)", client.get("/supervision/cases/XL-B/")
    yield "centre case page (mail)", client.get("/supervision/cases/XL-C/")
    yield "urge", client.get(f"/supervision/urges/{urge.number}/")
    yield "accountability form", client.get(f"/accountability/new/?alert={alert.pk}")
    yield "open data CSV", client.get("/performance/opendata.csv")
    client.force_login(people["manager"])
    yield "workbench case page", client.get("/cases/workbench/XL-A/")
    yield "department alerts", client.get("/supervision/alerts/?status=all")


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_it_shows_names_never_codes(client, world, people, lang):
    assert {"STEP_OUT_OF_ORDER", "NO_ACCEPTANCE", "REPEATED_SUPPLEMENT", "FEE_OVER_STANDARD", "FEE_UNLISTED",
            "EXTENSION_INVALID"} <= world["raised"]  # real findings, with the clock's own details
    codes = list(rule_labels()) + STEP_CODES + FEE_CODES + FIELD_CODES
    if lang == "zh-hans":
        codes += WORD_CODES
    client.cookies["django_language"] = lang
    for name, response in pages(client, world, people):
        assert response.status_code == 200, name
        body = response.content.decode("utf-8-sig")
        text = body if name.endswith("CSV") else visible_text(body)
        found = leaked(text, codes)
        assert found == [], f"{name} ({lang}) shows codes: " + "; ".join(
            text[max(0, m.start() - 60):m.end() + 20].replace("\n", " ") for c in found
            for m in [re.search(rf"(?<![A-Za-z0-9_]){re.escape(c)}(?![A-Za-z0-9_])", text)])


def test_it_names_steps_fees_and_channels_as_the_catalog_does(client, world, people):
    client.force_login(people["county_supervisor"])
    text = visible_text(client.get("/supervision/cases/XL-A/").content.decode())
    assert "环节 审批 在 承办、审核 完成前完成" in text  # was "环节 sp 在 cb、sh 完成前完成"
    assert "工本费收取 50.00 元，超过标准上限 10.00 元" in text  # was "收费项目 GB 收取 …"
    assert "收件渠道：窗口" in text and "结果：准予（办结通过）" in text  # was "channel: window；result: approved"
    assert "待督办 → 督办中" in text  # the alert's history, was "open → urged"
    alert = world["alert"]
    form = client.get(f"/accountability/new/?alert={alert.pk}").content.decode()
    assert f'value="{alert.get_level_display()} {rule_label(alert.rule)}：XL-A"' in form  # was "红牌 LEGAL_OVERDUE：…"


SHOTS = Path(settings.BASE_DIR) / "var" / "shots"


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_it_reads_as_words_in_a_real_browser(live_server, new_page, client, world, people, lang):
    """The changed pages at 1440×900 in both languages (screenshots in var/shots/ for review)."""
    from django.contrib.auth import get_user_model

    from core.testing.browser import log_in

    SHOTS.mkdir(parents=True, exist_ok=True)
    get_user_model().objects.create_superuser("root", password="pw-12345")
    host = live_server.url.split("//")[1].split(":")[0]
    for user, urls in (
        ("county_sup", {"alerts": "/supervision/alerts/?status=all", "case": "/supervision/cases/XL-A/",
                        "urge": f"/supervision/urges/{world['urge'].number}/",
                        "accountability-new": f"/accountability/new/?alert={world['alert'].pk}"}),
        ("manager", {"workbench-case": "/cases/workbench/XL-A/"}),
        ("clerk", {"home": "/home/", "403": "/supervision/centre/", "404": "/no/such/page/"}),
        ("root", {"admin": "/admin/"}),
    ):
        page = new_page(1440, 900)
        page.context.add_cookies([{"name": "django_language", "value": lang, "domain": host, "path": "/"}])
        log_in(page, live_server.url, user)
        for name, url in urls.items():
            page.goto(live_server.url + url)
            text = page.locator("body").inner_text()
            assert leaked(text, list(rule_labels()) + STEP_CODES + FEE_CODES + FIELD_CODES) == [], (name, lang)
            page.screenshot(path=str(SHOTS / f"vocab-{name}-{lang}.png"), full_page=True)
        page.context.close()


def test_it_shows_alert_details_in_the_readers_language(client, world, people):
    """The clock writes details in Chinese on the ingest path; pages render them in the reader's language
    from the registered templates (alerts.vocab.detail_parts), names kept and marked as Chinese."""
    from alerts.vocab import detail_parts

    details = list(Alert.objects.filter(subject_key="XL-A").exclude(detail="").values_list("detail", flat=True))
    assert len(details) >= 6 and [d for d in details if detail_parts(d) is None] == []
    client.force_login(people["county_supervisor"])
    client.cookies["django_language"] = "en"
    body = client.get("/supervision/cases/XL-A/").content.decode()
    text = " ".join(visible_text(body).split())  # a marked name is a span: its tags left spaces
    assert "Step 审批 completed before the required step(s) 承办, 审核" in text
    assert "工本费 charged at 50.00 yuan, above the standard's maximum of 10.00 yuan" in text
    assert '<span lang="zh-CN">承办, 审核</span>' in body
    assert "先办后受" not in text and "超过标准上限" not in text
    alerts_text = visible_text(client.get("/supervision/alerts/?status=all").content.decode())
    assert "breaking the one-time notice rule" in alerts_text and "一次性告知" not in alerts_text
    client.cookies["django_language"] = "zh-hans"
    assert "环节 审批 在 承办、审核 完成前完成" in visible_text(client.get("/supervision/cases/XL-A/").content.decode())


def test_english_calls_the_notice_level_notice_and_the_alert_page_alerts(org, people):
    """预警 is two things: the lowest alert level (a badge: "Notice") and the menu's alert page ("Alerts").
    The project catalog translated every 预警 as "Alerts", so each notice badge read "Alerts" too."""
    from clearwindow.testing.clients import login
    from clearwindow.testing.records import alert

    alert(org["dept"], level="notice", rule="DUE_SOON", key="XL-NOTICE")
    client = login(people["league_supervisor"])
    client.cookies["django_language"] = "en"
    page = client.get("/supervision/alerts/?status=open").content.decode()
    assert '<span class="tag tag--blue">Notice</span>' in page
    assert ">Alerts</a>" in page  # the menu
    assert '<span class="tag tag--blue">Alerts</span>' not in page
