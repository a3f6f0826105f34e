"""One presenter of a case (cases.present): the workbench, the monitoring centre's case page and the
public progress lookup show the same status, steps and clocks of a case, each from `present()`; the
public one shows no staff, no opinion and no alert."""
from datetime import datetime

from django.test import Client
from django.utils import timezone

from cases.models import Case
from cases.present import present
from clearwindow.testing.events import ev, post

TZ = timezone.get_default_timezone()


def day(d, t):
    return f"2026-03-0{d}T{t}:00+08:00"


def test_it_shows_the_same_steps_and_status_on_the_three_pages(client, api_client, people):
    _, key = api_client
    post(client, key, [
        ev("P-1", "received", day(2, "09:00"), item_code="ITEM-STEPS", window="XL-W01",
           applicant={"name": "张三", "id_number": "152501199001011234", "phone": "13912345678"}),
        ev("P-1", "accepted", day(2, "09:10"), staff="clerk-a"),
        ev("P-1", "step_completed", day(2, "16:00"), step="cb", staff="clerk-a", opinion="同意受理"),
        ev("P-1", "step_started", day(3, "09:00"), step="sh", staff="chief-b")])
    case = Case.objects.select_related("item_version", "department", "window__hall").get(case_no="P-1")
    view = present(case, timezone.now())
    expected = [(s["name"], s["status"]) for s in view.steps()]
    assert expected == [("承办", "completed"), ("审核", "in_progress"), ("审批", "pending")]

    client.force_login(people["clerk"])
    workbench = client.get("/cases/workbench/P-1/")
    assert [(s["name"], s["status"]) for s in workbench.context["steps"]] == expected
    assert workbench.context["clocks"]["status"] == "in_progress"

    client.force_login(people["county_supervisor"])
    centre = client.get("/supervision/cases/P-1/")
    clocks = centre.context["clocks"]
    assert [(s["name"], s["status"]) for s in clocks["steps"]] == expected
    assert clocks["status_label"] == "办理中" and clocks["state"]["status"] == "in_progress"
    assert clocks["promised"]["due"].isoformat() == workbench.context["clocks"]["promised_due"]

    public = Client().post("/track/", {"case_no": "P-1", "check_code": case.check_code}, REMOTE_ADDR="203.0.113.9")
    result = public.context["result"]
    assert [(s["name"], s["status"]) for s in result["steps"]] == expected and result["steps_done"] == 1
    assert result["promised_due"] == clocks["promised"]["due"] and result["status"] == "办理中"
    page = public.content.decode()
    assert "clerk-a" not in page and "chief-b" not in page and "同意受理" not in page and "张三" not in page
    assert "alerts" not in result and not any("by" in k or "staff" in k for s in result["steps"] for k in s)


def test_it_shows_the_case_as_it_stood_at_an_earlier_instant(client, api_client):
    _, key = api_client
    post(client, key, [
        ev("P-2", "received", day(2, "09:00"), item_code="ITEM-STEPS"), ev("P-2", "accepted", day(2, "09:10"), staff="a"),
        ev("P-2", "step_completed", day(2, "16:00"), step="cb", staff="a"),
        ev("P-2", "step_completed", day(3, "10:00"), step="sh", staff="b")])
    case = Case.objects.select_related("item_version").get(case_no="P-2")
    then = present(case, datetime(2026, 3, 2, 12, 0, tzinfo=TZ))
    assert [s["status"] for s in then.steps()] == ["in_progress", "pending", "pending"]
    assert then.as_of["status"] == "in_progress" and then.clocks()["at"] == then.at
    assert [s["status"] for s in present(case, timezone.now()).steps()] == ["completed", "completed", "in_progress"]


def test_a_case_without_its_received_has_no_clocks_and_no_steps(client, api_client):
    _, key = api_client
    post(client, key, [ev("P-3", "accepted", day(2, "09:10"), staff="a")])  # held until its 'received' arrives
    case = Case.objects.get(case_no="P-3")
    view = present(case, timezone.now())
    assert view.state is None and view.clocks() is None and view.steps() == []
    assert view.as_of["status"] == "incomplete" and view.status_label == "待收件"


def test_it_lists_the_same_events_on_the_workbench_and_the_centre_page(client, api_client, people):
    _, key = api_client
    post(client, key, [
        ev("P-3", "received", day(2, "09:00"), item_code="ITEM-STEPS", window="XL-W01"),
        ev("P-3", "accepted", day(2, "09:10"), staff="clerk-a"),
        ev("P-3", "step_completed", day(2, "16:00"), step="cb", staff="clerk-a", opinion="同意受理")])
    client.force_login(people["clerk"])
    workbench = client.get("/cases/workbench/P-3/")
    client.force_login(people["county_supervisor"])
    centre = client.get("/supervision/cases/P-3/")
    newest_first = [(e["label"], e["occurred_at"], e["data"]) for e in workbench.context["events"]]
    in_clock_order = [(e["label"], e["occurred_at"], e["data"]) for e in centre.context["timeline"]]
    assert newest_first == in_clock_order[::-1] and len(in_clock_order) == 3
    assert [label for label, _at, _data in in_clock_order] == ["收件", "受理", "环节完成"]
    for page in (workbench.content.decode(), centre.content.decode()):
        assert "同意受理" in page  # the step's opinion, as the event's fields read
    assert "数据接口" in centre.content.decode()  # where the events came from, in words
