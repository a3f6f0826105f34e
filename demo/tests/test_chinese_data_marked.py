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
from django.utils import timezone

from core.testing.a11y import fullwidth_punctuation_html, unmarked_chinese_html
from workdays.models import load_calendar

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
    # the history back to the second working day before today: "the last 2 days" held no case on a Sunday
    today = timezone.localdate()
    days = (today - load_calendar().workday_before(today, 2)).days + 1
    call_command("demo_setup", "--history-days", str(days), verbosity=0)


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


def more_pages():
    """(user, page) beyond the League supervisor's menu: the 督办单 to print, insight's pages, a case at the
    clerk's workbench, the camera points of the centre administrator."""
    from cases.models import Case
    from supervision.models import Urge
    from video.models import Camera

    urge = Urge.objects.order_by("number").first()
    if urge is not None:
        yield "league_supervisor", f"/supervision/urges/{urge.number}/print/"
    yield from [("league_supervisor", "/insight/time/"), ("league_supervisor", "/supervision/likely/")]
    case = Case.objects.filter(window__staff__user__username="window_clerk").order_by("case_no").first()
    if case is not None:
        yield "window_clerk", f"/cases/workbench/{case.case_no}/"
    yield "league_admin", "/video/points/"
    camera = Camera.objects.order_by("code").first()
    yield "league_admin", f"/video/points/{camera.code}/"


def test_it_marks_every_chinese_name_on_english_office_pages(demo):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    client = Client()
    client.force_login(users.get(username="league_supervisor"))
    client.cookies["django_language"] = "en"
    problems = {}
    pages = [("league_supervisor", path) for path in OFFICE + list(detail_pages())] + list(more_pages())
    for username, path in pages:
        client.force_login(users.get(username=username))
        response = client.get(path)
        assert response.status_code == 200, path
        # a textarea is plain text a person edits: an English sentence naming a Chinese step cannot mark it
        unmarked = [t for t in unmarked_chinese_html(response.content.decode()) if not GLOSS.search(t[0])
                    and not (t[1] == "textarea" and LATIN_FIRST.match(t[0]))]
        if unmarked:
            problems[path] = unmarked
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())


def public_pages():
    """The public pages with Chinese data: the guide (a list, a search, an item), the performance results,
    bulletin, year evaluation and statistics, the satisfaction figures, the FAQ."""
    from catalog.models import Item
    from performance.models import Period, PeriodStatus

    item = Item.objects.filter(published=True).order_by("code").first()
    yield from ["/", "/guide/", "/guide/?q=营业执照", f"/guide/{item.code}/", "/complaints/faq/",
                "/evaluations/satisfaction/", "/performance/", "/performance/stats/"]
    period = Period.objects.filter(status=PeriodStatus.PUBLISHED).order_by("-month").first()
    if period is not None:
        yield f"/performance/?month={period.month:%Y-%m}"
        quarter = (period.month.month - 1) // 3 + 1
        if period.month.month % 3 == 0:
            yield f"/performance/bulletin/{period.month.year}/q{quarter}/"
        yield f"/performance/year/{period.month.year - 1}/"


def test_it_marks_every_chinese_name_on_english_public_pages(demo):
    client = Client()
    client.cookies["django_language"] = "en"
    problems = {}
    for path in public_pages():
        response = client.get(path)
        assert response.status_code == 200, path
        unmarked = [t for t in unmarked_chinese_html(response.content.decode()) if not GLOSS.search(t[0])]
        if unmarked:
            problems[path] = unmarked
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())


PUBLIC = ["/", "/guide/", "/track/", "/complaints/new/", "/complaints/consult/", "/complaints/track/",
          "/complaints/faq/", "/evaluations/", "/evaluations/satisfaction/", "/performance/", "/accounts/login/",
          "/no-such-page/"]


def test_english_pages_use_english_punctuation_outside_chinese_data(demo):
    """"Run by：", "Workbench（…）", "胡海峰（H152530-01-W02-1）": full-width colons, brackets and commas belong to
    Chinese text; on an English page they may appear only inside Chinese data (marked lang="zh-CN")."""
    from django.contrib.auth import get_user_model

    from catalog.models import Item

    problems = {}
    public = Client()
    public.cookies["django_language"] = "en"
    item = Item.objects.filter(published=True).order_by("code").first()
    for path in PUBLIC + [f"/guide/{item.code}/"]:
        response = public.get(path)
        if found := fullwidth_punctuation_html(response.content.decode()):
            problems[path] = found
    for username in ("league_supervisor", "xlht_supervisor", "dept_manager", "window_clerk"):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        client.cookies["django_language"] = "en"
        paths = OFFICE + list(detail_pages()) if username == "league_supervisor" else ["/home/", "/supervision/alerts/",
                                                                                        "/cases/workbench/"]
        for path in paths:
            response = client.get(path)
            if found := fullwidth_punctuation_html(response.content.decode()):
                problems[f"{username} {path}"] = found
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())


def _h1(html):
    """The page's h1 as a reader hears it: its text, tags and spaces folded."""
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", heading).split())


def test_english_list_pages_are_titled_in_the_plural_and_detail_pages_in_the_singular(demo):
    """"Accountability case" over a list of cases, "Observations OB…" over one finding, "Cases TS…" as the
    title of one case: a list names its records in the plural, a record's page in the singular."""
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username="league_supervisor"))
    client.cookies["django_language"] = "en"
    lists = {"/accountability/": "Accountability cases", "/video/observations/": "Observations",
             "/supervision/urges/": "Urges", "/office/evaluations/ratings/": "Ratings"}
    for path, heading in lists.items():
        assert _h1(client.get(path).content.decode()) == heading, path
    singular = {"/supervision/urges/": "Urge ", "/office/consultations/": "Consultation ",
                "/office/evaluations/ratings/": "Rating ", "/video/observations/": "Observation "}
    for path in detail_pages():
        html = client.get(path).content.decode()
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        if path.startswith("/supervision/cases/"):
            assert title.startswith("Case "), title
        for prefix, word in singular.items():
            if path.startswith(prefix):
                assert _h1(html).startswith(word), (path, _h1(html))
                assert not title.startswith(word.replace(" ", "s ")), (path, title)
    client.force_login(get_user_model().objects.get(username="admin"))
    index = client.get("/admin/").content.decode()
    for plural in ("Regions", "Supervision centres", "Service halls", "Departments", "Windows", "Service items",
                   "Item versions", "Calendar revisions", "Assessment indicator schemes"):
        assert f">{plural}</a>" in index, plural
