"""Workbench case numbers (issue 14, defect 2): from a counter, never reused, in a form no approval
system may write, and never a case that exists."""
import pytest
from django.db import connection  # noqa: F401  (the skipif conditions read it)
from django.utils import timezone

from core.testing.concurrent import at_once

from ..ingest import ingest
from .. import applicants
from ..models import Applicant, Case, CaseEvent
from ..actions import do_register_case, with_check_digit
from clearwindow.testing.events import earlier_today, ev, post

from .test_workbench import clerk_client, people, register  # noqa: F401  (fixtures)

APPLICANTS = [("张三", with_check_digit("15250219900101123"), "13947912345"),
              ("李四", with_check_digit("15250219851212456"), "13800001111"),
              ("王五", with_check_digit("15250220000229789"), "15900002222")]


def prefix():
    return f"152502-{timezone.localdate():%Y%m%d}-"


def test_a_key_squatting_a_number_of_the_day_does_not_merge_the_next_applicants(clerk_client, api_client):
    _, key = api_client
    squat = post(clerk_client, key, [ev(f"{prefix()}zzzzz", "accepted", earlier_today(), staff="x")])
    assert squat.status_code == 200 and squat.json()["accepted"] == 1
    for name, id_number, phone in APPLICANTS:
        assert register(clerk_client, applicant_name=name, applicant_id_number=id_number,
                        applicant_phone=phone).status_code == 302
    cases = list(Case.objects.filter(case_no__startswith=f"{prefix()}W").order_by("case_no"))
    assert [c.case_no for c in cases] == [f"{prefix()}W{n:06d}" for n in (1, 2, 3)]
    assert len({c.check_code for c in cases}) == 3
    for case, (name, id_number, phone) in zip(cases, APPLICANTS):
        assert CaseEvent.objects.filter(case_no=case.case_no, type="received").count() == 1
        receipt = clerk_client.get(f"/cases/workbench/{case.case_no}/receipt/").content.decode()
        assert name in receipt and id_number in receipt and phone in receipt and case.check_code in receipt
        others = [a for a in APPLICANTS if a[0] != name]
        assert not any(n in receipt or i in receipt or p in receipt for n, i, p in others)
        assert not any(c.check_code in receipt for c in cases if c != case)


@pytest.mark.parametrize("kind", ["received", "accepted"])
def test_an_approval_system_cannot_write_into_a_workbench_number(clerk_client, api_client, kind):
    register(clerk_client)
    case = Case.objects.get()
    _, key = api_client
    fields = {"item_code": "ITEM-PLAIN", "applicant": {"name": "赵六"}} if kind == "received" else {"staff": "x"}
    reply = post(clerk_client, key, [ev(case.case_no, kind, earlier_today(), **fields),
                                     ev("XL-OWN-1", "received", earlier_today(), item_code="ITEM-PLAIN")]).json()
    assert reply["accepted"] == 1  # its valid neighbour is stored
    assert [r["index"] for r in reply["rejected"]] == [0]
    assert reply["rejected"][0]["error"].startswith("case_no:") and "W" in reply["rejected"][0]["error"]
    again = Case.objects.get(case_no=case.case_no)
    assert (again.item.code, again.applicant_name, again.status) == ("ITEM-STEPS", "张三", "received")
    assert CaseEvent.objects.filter(case_no=case.case_no).count() == 1


def test_a_number_squatted_before_the_rule_is_skipped_not_joined(clerk_client, people, api_client):
    register(clerk_client)
    # a workbench-form number that exists although the counter did not issue it (stored before this
    # rule, or restored): the workbench takes the next one instead of registering into it
    client, _ = api_client
    ingest(client, [ev(f"{prefix()}W000002", "received", earlier_today(), item_code="ITEM-PLAIN")],
           source="workbench")
    assert not Case.objects.filter(case_no=f"{prefix()}W000002").exists()  # refused: not the workbench
    Applicant.objects.create(case=Case.objects.create(case_no=f"{prefix()}W000002"), name="早先的申请人")
    register(clerk_client, applicant_name="李四")
    assert Case.objects.get(applicants.search("李四")).case_no == f"{prefix()}W000003"
    assert Case.objects.get(case_no=f"{prefix()}W000002").applicant_name == "早先的申请人"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="two writers at once: PostgreSQL")
def test_registrations_at_the_same_moment_get_distinct_numbers(people, items):
    def registration(name):
        return lambda: do_register_case(item=items["steps"], applicant={"name": name}, channel="window",
                                        actor=people["clerk"]).case_no

    numbers = at_once(*[registration(f"申请人{n}") for n in range(6)])
    assert sorted(numbers) == [f"{prefix()}W{n:06d}" for n in range(1, 7)]
    assert Case.objects.count() == 6 and len({a.name for a in Applicant.objects.all()}) == 6
