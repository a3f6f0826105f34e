"""A bad review is followed up: 回访, verified, rectified and answered; or voided by the centre; overdue
ones raise an alert through the tick; every change a row."""
from datetime import timedelta

import pytest
from django.utils import timezone

from alerts.models import Alert
from evaluations.ticks import tick_overdue
from evaluations.models import FollowUp

from .test_rating import rate


@pytest.fixture
def bad(case):
    return rate(case, level="very_dissatisfied", comment="态度差", rater_phone="13700001234")


def page(client, rating):
    return client.get(f"/office/evaluations/ratings/{rating.number}/").content.decode()


def post(client, rating, **data):
    return client.post(f"/office/evaluations/ratings/{rating.number}/", data)


def test_it_takes_a_bad_review_through_visit_verification_and_answer(client, bad, people):
    client.force_login(people["manager"])
    assert "137****1234" in page(client, bad) and "13700001234" not in page(client, bad)
    post(client, bad, action="verify_yes", text="属实：窗口人员解释不耐心")
    post(client, bad, action="answer", rectification="批评教育", text="已整改")
    assert FollowUp.objects.get().status == "rectifying"  # not without a recorded 回访
    post(client, bad, action="visit", text="电话联系评价人，已致歉")
    post(client, bad, action="answer", rectification="批评教育，培训", text="感谢监督，已整改")
    follow = FollowUp.objects.get()
    assert follow.status == "answered" and follow.answer == "感谢监督，已整改"
    assert [c.action for c in follow.changes.all()] == ["opened", "verified", "visited", "answered"]


def test_it_lets_only_the_centre_void_a_bad_review_with_reasons(client, bad, people):
    client.force_login(people["manager"])
    post(client, bad, action="verify_no", text="经查评价人并未到窗口")
    assert post(client, bad, action="void_malicious", text="x").status_code == 403
    client.force_login(people["county_supervisor"])
    post(client, bad, action="void_malicious", text="")
    assert FollowUp.objects.get().status == "disputed"  # a reason is required
    post(client, bad, action="void_malicious", text="监控显示评价人未办理业务")
    follow = FollowUp.objects.get()
    assert follow.status == "malicious" and follow.centre_reason == "监控显示评价人未办理业务"


def test_it_logs_every_unmasked_view_of_the_rater_phone(client, bad, people):
    from core.models import AuditEntry

    client.force_login(people["county_supervisor"])
    assert "13700001234" in client.get(f"/office/evaluations/ratings/{bad.number}/?unmask=1").content.decode()
    assert AuditEntry.objects.filter(action="view_unmasked", object_id=bad.number).count() == 1


def test_it_hides_ratings_outside_the_scope(client, bad, people):
    client.force_login(people["other_manager"])
    assert client.get(f"/office/evaluations/ratings/{bad.number}/").status_code == 404


def test_it_raises_an_alert_for_an_overdue_rectification_once_and_closes_it_on_answer(client, bad, people):
    follow = FollowUp.objects.get()
    later = timezone.now() + timedelta(days=40)
    assert tick_overdue(later) == 1 and tick_overdue(later) == 0
    alert = Alert.objects.get(subject_type="rating", subject_key=bad.number, rule="RECTIFY_OVERDUE")
    assert alert.status == "open" and alert.department == follow.rating.department
    client.force_login(people["manager"])
    post(client, bad, action="visit", text="已回访")
    post(client, bad, action="verify_yes", text="属实")
    post(client, bad, action="answer", rectification="整改", text="已答复")
    alert.refresh_from_db()
    assert alert.status == "closed"
