"""The demo data: deterministic, idempotent, at every stage."""
from django.utils import timezone

from complaints import demo
from complaints.models import Complaint, Consultation


def test_it_fills_the_demo_once(org, people, calendar):
    counts = demo.populate(timezone.now())
    assert counts["complaints"] == 60 and counts["consultations"] == 15
    statuses = set(Complaint.objects.values_list("status", flat=True))
    assert {"archived", "assigned", "declined"} <= statuses
    assert Consultation.objects.filter(published=True).exists()
    assert demo.populate(timezone.now()) == {"complaints": 0, "consultations": 0}
