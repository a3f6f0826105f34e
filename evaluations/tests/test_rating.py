"""Rating through the one entry (submit_rating) for every channel, and what it refuses."""
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from alerts.models import Alert
from core.models import AuditEntry
from evaluations.actions import RatingRefused, submit_rating
from evaluations.models import EvaluationSettings, FollowUp, Rating, RefusedRating

from clearwindow.testing.fixtures import make_item

from .conftest import make_case


def rate(case, **kw):
    kw.setdefault("channel", "web")
    kw.setdefault("source", "web:test")
    kw.setdefault("stage", "acceptance")
    kw.setdefault("level", "satisfied")
    return submit_rating(case.case_no, check_code=kw.pop("check_code", case.check_code), now=timezone.now(), **kw)


def test_it_binds_a_rating_to_the_case_window_staff_and_department(case, people, org):
    rating = rate(case, level=1)
    assert rating.level == "very_satisfied" and rating.code == 1
    assert rating.window == org["window"] and rating.hall == org["hall"] and rating.department == org["dept"]
    assert rating.staff.code == "clerk"
    assert AuditEntry.objects.filter(action="rate", object_id=rating.number).exists()


def test_it_refuses_a_second_rating_of_the_same_stage(case):
    rate(case)
    with pytest.raises(RatingRefused, match="已经评价过"):
        rate(case, level="very_dissatisfied")
    assert Rating.objects.count() == 1
    assert RefusedRating.objects.get().reason == "double"


def test_it_allows_acceptance_and_completion_once_each(api_client, items):
    case = make_case(api_client[0], "ITEM-PLAIN", completed=True)
    rate(case, stage="acceptance")
    rate(case, stage="completion")
    assert Rating.objects.filter(case=case).count() == 2


def test_it_rates_an_instant_case_only_once(api_client, items, org):
    make_item(org["dept"], "ITEM-NOW", promised=0, legal=1)
    case = make_case(api_client[0], "ITEM-NOW", completed=True)
    rating = rate(case, stage="acceptance")
    assert rating.stage == "completion"
    with pytest.raises(RatingRefused):
        rate(case, stage="acceptance")


def test_it_refuses_completion_before_the_case_is_completed(case):
    with pytest.raises(RatingRefused, match="尚未办理到"):
        rate(case, stage="completion")


def test_it_refuses_unknown_cases_and_wrong_codes(case):
    with pytest.raises(RatingRefused, match="不正确"):
        submit_rating("NO-SUCH", check_code="000000", channel="web", now=timezone.now(), source="w", stage="acceptance",
                      level=1)
    with pytest.raises(RatingRefused, match="不正确"):
        rate(case, check_code="999999x")


def test_it_refuses_levels_out_of_range(case):
    with pytest.raises(RatingRefused, match="out of range"):
        rate(case, level=6)


def test_it_refuses_staff_rating_their_own_service_and_tells_the_centre(case, people):
    with pytest.raises(RatingRefused, match="本人"):
        rate(case, actor=people["clerk"])
    alert = Alert.objects.get(subject_type="rating", rule="RATING_OWN_SERVICE")
    assert alert.subject_key == case.case_no and alert.department == case.department


def test_it_refuses_a_flood_from_one_source(api_client, items):
    config = EvaluationSettings.objects.create(flood_limit=3)
    cases = [make_case(api_client[0], "ITEM-PLAIN") for _ in range(4)]
    for c in cases[:3]:
        rate(c, source="web:flood", config=config)
    with pytest.raises(RatingRefused, match="频繁"):
        rate(cases[3], source="web:flood", config=config)


def test_it_opens_a_follow_up_for_every_bad_review_with_a_15_working_day_deadline(case, people):
    rating = rate(case, level="dissatisfied", comment="等了很久")
    follow = FollowUp.objects.get(rating=rating)
    assert follow.status == "pending"
    assert follow.deadline > timezone.localdate() + timedelta(days=15)  # working days: weekends skipped
    assert people["manager"].notifications.filter(subject__contains=rating.number).exists()


def test_it_flags_a_burst_from_one_phone(api_client, items):
    config = EvaluationSettings.objects.create(phone_burst_limit=2)
    for _ in range(3):
        c = make_case(api_client[0], "ITEM-PLAIN")
        last = rate(c, rater_phone="13800001111", config=config)
    last.refresh_from_db()
    assert "burst_phone" in last.flags
    assert Alert.objects.filter(subject_type="rating", rule="RATING_BURST_PHONE").count() == 1
    assert "13800001111" not in Alert.objects.get(rule="RATING_BURST_PHONE").detail


def test_it_keeps_the_check_code_out_of_every_web_address(client, case):
    """The web form sends the code by POST; the SMS/QR link's code is checked once and dropped from
    the address. The rating page, its forms and later pages carry no code; another browser without
    the code gets nowhere with the case number alone."""
    from django.test import Client

    typed = client.post("/evaluations/", {"case_no": case.case_no, "code": case.check_code})
    assert typed.status_code == 302 and case.check_code not in typed.url and "code" not in typed.url
    page = client.get(typed.url)
    assert page.status_code == 200 and case.case_no in page.content.decode()
    assert case.check_code not in page.content.decode()
    rated = client.post(typed.url, {"case": case.case_no, "stage": "acceptance", "level": "satisfied",
                                    "channel": "web"})
    assert rated.status_code == 302 and case.check_code not in rated.url
    assert case.ratings.get().level == "satisfied"

    sms = Client().get("/evaluations/", {"case": case.case_no, "code": case.check_code, "ch": "sms"})
    assert sms.status_code == 302 and case.check_code not in sms.url and "ch=sms" in sms.url

    stranger = Client()
    refused = stranger.get("/evaluations/rate/", {"case": case.case_no})
    assert refused.status_code == 302 and refused.url == "/evaluations/"
    stranger.post("/evaluations/rate/", {"case": case.case_no, "stage": "completion", "level": "very_dissatisfied"})
    assert case.ratings.count() == 1


def test_the_rating_page_names_its_flags_in_words(client, api_client, items, people):
    """Flags are codes ("burst_phone"); the rating's page says what they mean, in the reader's language."""
    config = EvaluationSettings.objects.create(phone_burst_limit=2)
    for _ in range(3):
        last = rate(make_case(api_client[0], "ITEM-PLAIN"), rater_phone="13800001111", config=config)
    client.force_login(people["league_supervisor"])
    page = client.get(f"/office/evaluations/ratings/{last.number}/").content.decode()
    assert "同一手机号短时间内多次评价" in page and "burst_phone" not in page
    client.cookies["django_language"] = "en"
    page = client.get(f"/office/evaluations/ratings/{last.number}/").content.decode()
    assert "Many ratings from one phone number in a short time" in page and "burst_phone" not in page


def test_the_rating_list_and_page_name_the_level_without_its_number(client, api_client, items, people):
    """The level's GB/T 39046 number (1 … 5) is a code: people read 非常满意 / Very satisfied alone."""
    rating = rate(make_case(api_client[0], "ITEM-PLAIN"), level="very_satisfied")
    client.force_login(people["league_supervisor"])
    for lang, name in (("zh-hans", "非常满意"), ("en", "Very satisfied")):
        client.cookies["django_language"] = lang
        for url in ("/office/evaluations/ratings/", f"/office/evaluations/ratings/{rating.number}/"):
            page = client.get(url).content.decode()
            assert f'<span class="lv lv--very_satisfied">{name}</span>' in page, (lang, url)


def test_the_public_rating_page_lists_the_levels_by_name_alone(client, db):
    """Its side panel read "1 · 非常满意 … 5 · 非常不满意": the level's number is a code."""
    for lang, names in (("zh-hans", ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]),
                        ("en", ["Very satisfied", "Satisfied", "Basically satisfied", "Dissatisfied", "Very dissatisfied"])):
        client.cookies["django_language"] = lang
        page = client.get("/evaluations/").content.decode()
        items = re.findall(r'<li class="face-item">.*?</svg>(.*?)</li>', page, re.S)
        assert [i.strip() for i in items] == names, items
