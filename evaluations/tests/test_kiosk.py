"""The kiosk page of a registered device: who is on duty, the service it binds to, what it refuses."""
from datetime import timedelta

import pytest

from evaluations.models import Rating, RefusedRating

from .conftest import make_case


@pytest.fixture
def kiosk(client, device):
    client.get(f"/evaluations/kiosk/?token={device[1]}")
    return client


def test_it_binds_the_device_by_a_cookie_and_drops_the_token_from_the_address(client, device):
    response = client.get(f"/evaluations/kiosk/?token={device[1]}")
    assert response.status_code == 302 and response["Location"] == "/evaluations/kiosk/"
    assert client.cookies["cw_device"].value == device[1]


def test_it_refuses_an_unregistered_or_disabled_device(client, device):
    assert client.get("/evaluations/kiosk/?token=dev_forged").status_code == 403
    assert "未登记" in client.get("/evaluations/kiosk/").content.decode()
    device[0].active = False
    device[0].save()
    client.cookies["cw_device"] = device[1]
    assert client.get("/evaluations/kiosk/").status_code == 403


def test_it_shows_the_clerk_on_duty_and_the_case_just_handled(kiosk, case, people):
    page = kiosk.get("/evaluations/kiosk/").content.decode()
    assert "亮证上岗" in page and "clerk" in page  # name and badge number
    assert case.case_no in page and "非常满意" in page and "非常不满意" in page


def test_it_rates_the_bound_case_and_thanks(kiosk, case):
    response = kiosk.post("/evaluations/kiosk/rate/", {"case_no": case.case_no, "stage": "acceptance",
                                                      "level": "very_satisfied"})
    assert "感谢您的评价" in response.content.decode()
    rating = Rating.objects.get(case=case)
    assert rating.channel == "device" and rating.device.code == "EV-01"
    assert case.case_no not in kiosk.get("/evaluations/kiosk/").content.decode()  # rated: nothing to rate


def test_it_refuses_a_case_of_another_window(kiosk, api_client, items, org):
    from orgs.models import Window

    Window.objects.create(code="XL-W02", name="2号窗口", hall=org["hall"], department=org["dept"])
    other = make_case(api_client[0], "ITEM-PLAIN", window="XL-W02")
    response = kiosk.post("/evaluations/kiosk/rate/", {"case_no": other.case_no, "stage": "acceptance", "level": 1})
    assert response.status_code == 400 and "不是本窗口办理的" in response.content.decode()
    assert RefusedRating.objects.get().reason == "foreign_case"


def test_it_refuses_a_case_handled_long_ago(kiosk, api_client, items):
    old = make_case(api_client[0], "ITEM-PLAIN", ago=timedelta(hours=3))
    page = kiosk.get("/evaluations/kiosk/").content.decode()
    assert old.case_no not in page and "欢迎办事" in page
    response = kiosk.post("/evaluations/kiosk/rate/", {"case_no": old.case_no, "stage": "acceptance", "level": 1})
    assert response.status_code == 400 and "分钟内没有办理" in response.content.decode()


def test_it_signals_a_device_sending_ratings_with_no_service(kiosk, api_client, items):
    from alerts.models import Alert

    old = make_case(api_client[0], "ITEM-PLAIN", ago=timedelta(hours=3))
    for _ in range(3):
        kiosk.post("/evaluations/kiosk/rate/", {"case_no": old.case_no, "stage": "acceptance", "level": 1})
    assert Alert.objects.filter(subject_type="rating", rule="RATING_NO_SERVICE").count() == 1


def test_it_flags_a_burst_from_one_device(kiosk, api_client, items):
    from alerts.models import Alert
    from evaluations.models import EvaluationSettings

    EvaluationSettings.objects.create(burst_limit=2)
    for _ in range(3):
        c = make_case(api_client[0], "ITEM-PLAIN", ago=timedelta(minutes=1))
        kiosk.post("/evaluations/kiosk/rate/", {"case_no": c.case_no, "stage": "acceptance", "level": 1})
    assert any("burst_device" in r.flags for r in Rating.objects.all())
    assert Alert.objects.filter(rule="RATING_BURST_DEVICE").exists()
