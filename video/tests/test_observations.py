"""Observations: recorded against a window, staff and instant; a rectification order with a deadline
in working days that the department answers; closed by the centre; serious ones need evidence."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.models import Notification
from orgs.models import Staff
from video.models import Camera, Observation
from workdays.models import load_calendar
from workdays.zone import local_date


@pytest.fixture
def cam(org):
    camera = Camera.objects.create(code="camC", name="市政务大厅全景", hall=org["hall"], stream_url="rtsp://x/y")
    camera.windows.add(org["window"])
    return camera


def observe(client, **extra):
    data = {"instant": timezone.localtime().strftime("%Y-%m-%dT%H:%M:%S"), "category": "phone",
            "description": "窗口人员玩手机", "order_text": "立即纠正", "order_days": "3", **extra}
    return client.post(reverse("video:observe", args=["camC"]), data)


@pytest.mark.django_db
def test_it_orders_rectification_the_department_answers_and_the_centre_closes(client, org, cam, people,
                                                                             calendar_seeded, video_dirs):
    clerk = Staff.objects.get(user=people["clerk"])
    client.force_login(people["county_supervisor"])
    observe(client, window=org["window"].pk, staff=clerk.pk, verbal_warning="1")
    obs = Observation.objects.get()
    assert (obs.status, obs.department, obs.staff, obs.verbal_warning) == ("ordered", org["dept"], clerk, True)
    assert obs.order_due == load_calendar().add_wd(local_date(obs.recorded_at), 3)
    assert Notification.objects.filter(user=people["manager"], subject__contains=obs.number).exists()

    client.force_login(people["manager"])
    assert obs.number in client.get(reverse("video:observations")).content.decode()
    client.post(reverse("video:observation", args=[obs.number]), {"action": "answer", "answer": "已批评教育"})
    client.post(reverse("video:observation", args=[obs.number]), {"action": "close"})  # not the department's to close

    obs.refresh_from_db()
    assert obs.status == "answered" and obs.answer == "已批评教育"
    client.force_login(people["county_supervisor"])
    client.post(reverse("video:observation", args=[obs.number]), {"action": "close", "note": "整改到位"})
    obs.refresh_from_db()
    assert obs.status == "closed"
    assert list(obs.changes.values_list("actor_name", "to_status")) == [
        ("county_sup", "ordered"), ("manager", "answered"), ("county_sup", "closed")]


@pytest.mark.django_db
def test_it_keeps_observations_from_other_departments(client, org, cam, people, calendar_seeded, video_dirs):
    client.force_login(people["county_supervisor"])
    observe(client, window=org["window"].pk)
    number = Observation.objects.get().number

    client.force_login(people["other_manager"])
    assert list(client.get(reverse("video:observations")).context["page"]) == []
    assert client.get(reverse("video:observation", args=[number])).status_code == 404


@pytest.mark.django_db
def test_it_refuses_a_serious_case_without_recorded_evidence(client, org, cam, people, calendar_seeded, video_dirs):
    client.force_login(people["county_supervisor"])
    response = observe(client, serious="1")

    assert not Observation.objects.exists()
    assert "没有录像" in response.wsgi_request._messages._queued_messages[0].message


@pytest.mark.django_db
def test_it_refuses_an_observation_in_the_future(client, org, cam, people, calendar_seeded, video_dirs):
    client.force_login(people["county_supervisor"])
    later = (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S")
    observe(client, instant=later)
    assert not Observation.objects.exists()


@pytest.mark.django_db
def test_it_lists_observations_with_a_bounded_number_of_queries(client, org, cam, people, calendar_seeded,
                                                                 video_dirs, django_assert_max_num_queries):
    client.force_login(people["county_supervisor"])
    for _ in range(5):
        observe(client, window=org["window"].pk)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("video:observations"))
    assert response.content.decode().count("XC") >= 5
