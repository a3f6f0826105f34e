"""The JSON intake for integration clients (e.g. a 12345 platform)."""
import pytest

from clearwindow.testing.fixtures import new_client
from complaints.models import ComplainantIdentity, Complaint

BODY = {"external_id": "12345-0001", "category": "fees", "subject": "多收工本费", "content": "办理证照被多收 50 元工本费。",
        "department_code": "XL-SCJ", "complainant": {"name": "赵六", "phone": "13800000000"}}


@pytest.fixture
def platform(org, calendar):
    return new_client("12345", region=org["county"])


def post(client, key, body):
    return client.post("/api/v1/complaints", body, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {key}")


def test_it_receives_a_complaint_once_per_external_id(client, platform, org):
    _, key = platform
    r = post(client, key, BODY)
    assert r.status_code == 201
    data = r.json()
    c = Complaint.objects.get(number=data["number"])
    assert (c.channel, c.department, c.status, data["duplicate"]) == ("api", org["dept"], "submitted", False)
    assert len(data["secret"]) == 8 and ComplainantIdentity.objects.get(complaint=c).name == "赵六"
    again = post(client, key, BODY)
    assert again.status_code == 200 and again.json()["number"] == c.number and again.json()["secret"] is None
    assert Complaint.objects.count() == 1
    progress = client.get(f"/api/v1/complaints/{c.number}", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert progress["status"] == "submitted" and "赵六" not in str(progress)


@pytest.mark.parametrize(("change", "field"), [
    ({"category": "bribes"}, "category"), ({"subject": ""}, "subject"), ({"content": "a\x00bcdef"}, "content"),
    ({"department_code": "NOPE"}, "department_code"),
    ({"department_code": "ABG-ZJJ"}, "region_code"),  # outside this client's area
])
def test_it_names_the_bad_field(client, platform, change, field):
    _, key = platform
    r = post(client, key, {**BODY, **change})
    assert r.status_code in (400, 422) and field in r.content.decode()
    assert Complaint.objects.count() == 0


def test_it_refuses_an_unknown_key(client, platform):
    assert post(client, "cw_wrong", BODY).status_code == 401


def test_it_takes_consultations_and_lists_published_answers(client, platform, people):
    from complaints import actions as A
    from complaints.models import Consultation

    _, key = platform
    r = client.post("/api/v1/consultations", {"question": "新办食品经营许可多久能拿证？"}, content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {key}")
    assert r.status_code == 201
    q = Consultation.objects.get(number=r.json()["number"])
    A.do_answer_consultation(q, actor=people["county_supervisor"], answer="承诺 5 个工作日。")
    A.do_publish_consultation(q, actor=people["county_supervisor"], publish=True)
    assert client.get("/api/v1/faq").json()[0]["answer"] == "承诺 5 个工作日。"
