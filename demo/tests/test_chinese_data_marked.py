"""Chinese data on English pages is marked lang="zh-CN" (issue 19 point 4; docs/accessibility.md): every
main back-office page and a detail page of each kind, in English, on the demo region, has no text with
Chinese characters outside an element whose lang is Chinese — table cells, headings, links and the
<option>s of data drop-downs alike. Chinese glosses that an English translation carries on purpose
("Graft (吃拿卡要)") and an English sentence pre-filled into a textarea that names a Chinese step are the
only exceptions. <title>s are checked apart (they cannot hold a marked span)."""
import re

import pytest
from django.core.management import call_command
from django.test import Client

from core.testing.a11y import unmarked_chinese_html

pytestmark = pytest.mark.django_db

OFFICE = ["/home/", "/cases/workbench/", "/supervision/centre/", "/supervision/alerts/", "/supervision/urges/",
          "/supervision/cases/", "/office/complaints/", "/office/complaints/analysis/", "/office/consultations/",
          "/office/evaluations/", "/office/evaluations/ratings/", "/office/evaluations/statistics/",
          "/office/evaluations/signals/", "/video/", "/video/observations/",
          "/office/performance/", "/accountability/", "/supervision/centre/wall/", "/supervision/centre/quality/"]
GLOSS = re.compile(r"^[A-Za-z].*\([^()]*[\u3400-\u9fff][^()]*\)$")
LATIN_FIRST = re.compile(r"^[^\u3400-\u9fff]*[A-Za-z]")


@pytest.fixture
def demo(db):
    call_command("demo_setup", "--history-days", "2", verbosity=0)


def detail_pages():
    from alerts.models import Alert
    from cases.models import Case
    from complaints.models import Complaint, Consultation
    from evaluations.models import Rating
    from performance.models import Period
    from supervision.models import Urge
    from video.models import Camera, Observation

    case = Case.objects.order_by("case_no").first()
    yield f"/supervision/cases/{case.case_no}/"
    for model, url in ((Urge, "/supervision/urges/{}/"), (Complaint, "/office/complaints/{}/"),
                       (Consultation, "/office/consultations/{}/"), (Rating, "/office/evaluations/ratings/{}/"),
                       (Observation, "/video/observations/{}/")):
        obj = model.objects.order_by("number").first()
        if obj is not None:
            yield url.format(obj.number)
    camera = Camera.objects.order_by("code").first()
    if camera is not None:
        yield f"/video/cameras/{camera.code}/"
    period = Period.objects.order_by("-month").first()
    if period is not None:
        yield f"/office/performance/{period.month:%Y-%m}/"
    alert = Alert.objects.filter(subject_type="case").order_by("pk").first()
    if alert is not None:
        yield f"/accountability/new/?alert={alert.pk}"


def test_it_marks_every_chinese_name_on_english_office_pages(demo):
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username="league_supervisor"))
    client.cookies["django_language"] = "en"
    problems = {}
    for path in OFFICE + list(detail_pages()):
        response = client.get(path)
        assert response.status_code == 200, path
        # a textarea is plain text a person edits: an English sentence naming a Chinese step cannot mark it
        unmarked = [t for t in unmarked_chinese_html(response.content.decode()) if not GLOSS.search(t[0])
                    and not (t[1] == "textarea" and LATIN_FIRST.match(t[0]))]
        if unmarked:
            problems[path] = unmarked
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())
