"""Codes never reach people, continued (issue 16 point 7): the complaint pages (office list and page with
its history, the public progress page), a rating's page with its follow-up history, a performance
period's page with its history and a score's page, and the PDFs we print — the 督办单 and a quarterly
bulletin — read as words in Chinese and in English.

The codes looked for are the stored values of every choice of those records (status, category, channel,
level, stage, satisfaction, group …) and the indicators' codes, besides the case vocabulary of
test_no_codes_reach_people. Values that are English words are looked for on Chinese pages only."""
import io
import re
from datetime import date, timedelta

import pytest
from django.db import models
from django.utils import timezone

from alerts.vocab import rule_labels
from complaints import actions as complaint_actions
from complaints import models as complaint_models
from complaints.actions import ComplaintInput, do_submit_complaint
from evaluations import models as evaluation_models
from evaluations.actions import do_answer, do_rate, do_record_visit, do_verify
from performance import models as performance_models
from performance.actions import do_publish_period, do_review_period, do_score_month
from performance.defaults import DEFAULT_INDICATORS, do_load_default_schemes
from supervision import models as supervision_models

from .test_no_codes_reach_people import FEE_CODES, FIELD_CODES, STEP_CODES, WORD_CODES, leaked, visible_text
from .test_no_codes_reach_people import world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def choice_values(*modules):
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, models.TextChoices) and value is not models.TextChoices:
                yield from (v for v in value.values if v)


CHOICES = sorted(set(choice_values(complaint_models, evaluation_models, performance_models, supervision_models)))
INDICATORS = [row[0] for row in DEFAULT_INDICATORS] + [row[3] for row in DEFAULT_INDICATORS]


def codes(lang):
    machine = [c for c in CHOICES + INDICATORS if not c.isalpha() or not c.islower()]  # new_status, 10y, ONTIME
    words = [c for c in CHOICES + INDICATORS if c.isalpha() and c.islower()]           # answered, portal, web
    found = list(rule_labels()) + STEP_CODES + FEE_CODES + FIELD_CODES + machine
    return found + words + WORD_CODES if lang == "zh-hans" else found


@pytest.fixture
def more(world, org, people):  # noqa: F811
    now = timezone.now()
    sup, mgr = people["county_supervisor"], people["manager"]
    complaint, secret = do_submit_complaint(ComplaintInput(
        category="attitude", subject="窗口人员态度恶劣", content="办理营业执照时窗口人员推诿，要求反复补交材料。",
        region=org["county"], department=org["dept"], anonymous=False, name="王秀英", phone="13912345678"),
        channel="portal", actor="portal", now=now - timedelta(days=3))
    complaint_actions.do_register_complaint(complaint, actor=sup, now=now)
    complaint_actions.do_assign_complaint(complaint, actor=sup, department=org["dept"], instructions="请核查", now=now)
    complaint_actions.do_answer_complaint(complaint, actor=mgr, findings="属实，已批评教育", measures="窗口一次性告知",
                                          now=now)
    complaint_actions.do_verify_complaint(complaint, actor=sup, note="核实无误", now=now)
    complaint_actions.do_feed_back_complaint(complaint, actor=sup, feedback="经核查属实，已整改。", now=now)
    complaint_actions.do_rate_complaint(complaint, satisfaction="satisfied", now=now)

    consultation, _ = complaint_actions.do_submit_consultation(
        question="营业执照遗失了怎么补办？", region=org["county"], department=org["dept"], channel="portal",
        actor="portal", now=now)
    complaint_actions.do_answer_consultation(consultation, actor=mgr, answer="请携带身份证到市场监管窗口办理。", now=now)
    complaint_actions.do_publish_consultation(consultation, actor=sup, publish=True, faq_question="营业执照遗失如何补办", now=now)

    rating = do_rate(world["case"], stage="completion", level="very_dissatisfied", channel="web", now=now, source="web",
                     comment="态度差", rater_phone="13700001234")
    follow = rating.follow
    do_record_visit(follow, note="电话联系评价人，已致歉", actor=mgr, now=now)
    do_verify(follow, substantiated=True, note="属实", actor=mgr, now=now)
    do_answer(follow, rectification="批评教育", answer="已整改", actor=mgr, now=now)

    do_load_default_schemes(actor="test")
    month = date(now.year, now.month, 1) - timedelta(days=1)
    quarter_end = date(now.year, 3 * ((now.month - 1) // 3) + 1, 1) - timedelta(days=1)  # last closed quarter
    for m in sorted({month.replace(day=1)} | {date(quarter_end.year, quarter_end.month - k, 1) for k in range(3)}):
        period = do_score_month(m, actor="test", now=now)
        do_review_period(period, actor="test")
        do_publish_period(period, actor="test")
    return {"complaint": complaint, "secret": secret, "consultation": consultation, "rating": rating, "month": month.replace(day=1),
            "quarter": (quarter_end.year, (quarter_end.month - 1) // 3 + 1)}


def pdf_text(content):
    from pypdf import PdfReader

    assert content.startswith(b"%PDF"), content[:200]
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def pages(client, world, more, people):  # noqa: F811
    from pathlib import Path

    from core.pdf import chromium
    from performance.models import Score

    number, month = more["complaint"].number, more["month"].strftime("%Y-%m")
    client.force_login(people["county_supervisor"])
    yield "complaint list", client.get("/office/complaints/"), "html"
    yield "complaint page", client.get(f"/office/complaints/{number}/"), "html"
    yield "consultation page", client.get(f"/office/consultations/{more['consultation'].number}/"), "html"
    yield "rating page", client.get(f"/office/evaluations/ratings/{more['rating'].number}/"), "html"
    yield "rating list", client.get("/office/evaluations/ratings/"), "html"
    yield "performance period", client.get(f"/office/performance/{month}/"), "html"
    score = Score.objects.filter(period__month=more["month"]).first()
    yield "performance score", client.get(f"/office/performance/score/{score.pk}/"), "html"
    if Path(chromium()).exists():
        yield "督办单 PDF", client.get(f"/supervision/urges/{world['urge'].number}/print.pdf"), "pdf"
        year, quarter = more["quarter"]
        yield "bulletin PDF", client.get(f"/performance/bulletin/{year}/q{quarter}.pdf"), "pdf"
    client.logout()
    yield "public complaint progress", client.post("/complaints/track/", {"number": number, "secret": more["secret"]},
                                                   follow=True), "html"


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_it_shows_names_never_codes_on_complaints_ratings_performance_and_pdfs(client, world, more, people, lang):  # noqa: F811
    client.cookies["django_language"] = lang
    seen = []
    for name, response, kind in pages(client, world, more, people):
        assert response.status_code == 200, name
        text = pdf_text(response.content) if kind == "pdf" else visible_text(response.content.decode())
        found = leaked(text, codes(lang))
        assert found == [], f"{name} ({lang}) shows codes: " + "; ".join(
            text[max(0, m.start() - 60):m.end() + 20].replace("\n", " ") for c in found
            for m in [re.search(rf"(?<![A-Za-z0-9_]){re.escape(c)}(?![A-Za-z0-9_])", text)])
        seen.append(name)
        if name == "public complaint progress":
            assert response.redirect_chain and more["complaint"].number in text  # the progress page itself
        if name == "督办单 PDF":  # the text was read out of the PDF, not an empty page
            assert world["urge"].number in text and ("督办" in text if lang == "zh-hans" else "Supervision" in text)
    assert {"public complaint progress", "complaint page", "consultation page", "rating page", "performance period"} <= set(seen)
    from pathlib import Path

    from core.pdf import chromium
    assert not Path(chromium()).exists() or {"督办单 PDF", "bulletin PDF"} <= set(seen)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_the_pages_of_issue_16_read_and_fit_in_a_real_browser(live_server, new_page, world, more, org, people, lang):  # noqa: F811
    """The pages of issue 16 at 1366×768 and on a phone (390×844), in both languages: no code in the text,
    nothing wider than its frame (a data table may scroll inside its wrapper on the phone). Screenshots go
    to test-artifacts/issue16-*.png and were looked at."""
    from django.contrib.auth import get_user_model

    from core.testing.a11y import too_wide
    from core.testing.browser import log_in, screenshot
    from video.models import Camera

    camera = Camera.objects.create(code="XL-C01", name="大厅全景", hall=org["hall"], stream_url="rtsp://admin@127.0.0.1:1/x")
    admin = get_user_model().objects.create_superuser("root", password="pw-12345")
    assert admin.pk
    host = live_server.url.split("//")[1].split(":")[0]
    pages_by_user = {
        "county_sup": {"alerts": "/supervision/alerts/?status=all", "case": "/supervision/cases/XL-A/",
                       "urge": f"/supervision/urges/{world['urge'].number}/",
                       "urge-print": f"/supervision/urges/{world['urge'].number}/print/",
                       "complaint": f"/office/complaints/{more['complaint'].number}/",
                       "consultation": f"/office/consultations/{more['consultation'].number}/",
                       "rating": f"/office/evaluations/ratings/{more['rating'].number}/",
                       "period": f"/office/performance/{more['month']:%Y-%m}/"},
        "root": {"point": f"/video/points/{camera.code}/", "admin": "/admin/"},
        "clerk": {"403": "/supervision/centre/", "404": "/no/such/page/"},
    }
    problems = {}
    for width, height in ((1366, 768), (390, 844)):
        for user, urls in pages_by_user.items():
            page = new_page(width, height)
            page.context.add_cookies([{"name": "django_language", "value": lang, "domain": host, "path": "/"}])
            log_in(page, live_server.url, user)
            for name, url in urls.items():
                page.goto(live_server.url + url)
                if name == "point":  # the connection test: asked, under way, answered by the worker's tick
                    page.locator("#probe").click()
                    page.wait_for_selector("#probe-result[aria-busy=true]")
                text = page.locator("body").inner_text()
                found = leaked(text, codes(lang))
                if found:
                    problems[f"{name} {lang} codes"] = found
                wide = too_wide(page, tables_may_scroll=width < 800)
                if wide and name != "admin":
                    problems[f"{name} {lang} wide@{width}"] = wide
                screenshot(page, f"issue16-{name}-{lang}-{width}")
            page.context.close()
    assert not problems, problems
