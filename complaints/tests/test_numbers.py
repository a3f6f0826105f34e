"""Complaint and consultation numbers from core.numbering, and the same external_id twice at once
(issue 14, defect 3): two real transactions on PostgreSQL."""
import pytest
from django.db import connection  # noqa: F401  (the skipif conditions read it)
from django.test import Client

from complaints.models import Complaint, Consultation
from core.testing.concurrent import at_once

from .test_api import BODY, platform, post  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="two writers at once: PostgreSQL"),
]


def test_the_same_external_id_twice_at_once_gives_one_complaint_and_one_duplicate(platform):
    _, key = platform
    replies = at_once(*[lambda: post(Client(), key, BODY)] * 2)
    assert sorted(r.status_code for r in replies) == [200, 201], [r.content for r in replies]
    created, duplicate = sorted((r.json() for r in replies), key=lambda d: d["duplicate"])
    assert (created["duplicate"], duplicate["duplicate"]) == (False, True)
    assert duplicate["number"] == created["number"] and duplicate["secret"] is None
    assert Complaint.objects.count() == 1


def test_complaints_sent_at_the_same_moment_get_distinct_numbers(platform):
    _, key = platform
    replies = at_once(*[lambda n=n: post(Client(), key, {**BODY, "external_id": f"12345-{n}"}) for n in range(6)])
    assert [r.status_code for r in replies] == [201] * 6, [r.content for r in replies]
    numbers = sorted(r.json()["number"] for r in replies)
    assert len(set(numbers)) == 6 and numbers == sorted(Complaint.objects.values_list("number", flat=True))
    assert [n[-4:] for n in numbers] == [f"{n:04d}" for n in range(1, 7)]


def test_consultations_sent_at_the_same_moment_get_distinct_numbers(platform):
    _, key = platform
    body = {"question": "办理营业执照需要哪些材料？", "department_code": "XL-SCJ"}
    replies = at_once(*[lambda: Client().post("/api/v1/consultations", body, content_type="application/json",
                                              HTTP_AUTHORIZATION=f"Bearer {key}")] * 4)
    assert [r.status_code for r in replies] == [201] * 4, [r.content for r in replies]
    assert len({r.json()["number"] for r in replies}) == 4 == Consultation.objects.count()
