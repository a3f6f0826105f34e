"""core.numbering: one counter per prefix, never reused, local days, safe with two writers at once."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.utils import timezone

from core.models import AuditEntry, Counter
from core.numbering import day_prefix, local_day, next_number
from core.testing.concurrent import at_once

CST = ZoneInfo("Asia/Shanghai")


def entry(object_id):
    return AuditEntry.objects.create(actor_name="t", action="t", object_type="t", object_id=object_id)


@pytest.mark.django_db
def test_it_counts_up_per_prefix_and_never_reuses_a_number_whose_record_was_deleted():
    first = entry(next_number(AuditEntry, "object_id", "AB20261205-"))
    assert first.object_id == "AB20261205-0001"
    first.delete()
    assert next_number(AuditEntry, "object_id", "AB20261205-") == "AB20261205-0002"
    assert next_number(AuditEntry, "object_id", "AB20261206-") == "AB20261206-0001"


@pytest.mark.django_db
def test_it_starts_past_the_largest_number_stored_before_the_counter_existed():
    for object_id in ("AB20261205-0007", "AB20261205-0012", "AB20261205-zzzzz", "AB20261205-00099x"):
        entry(object_id)
    assert not Counter.objects.exists()
    assert next_number(AuditEntry, "object_id", "AB20261205-") == "AB20261205-0013"


@pytest.mark.django_db
def test_it_skips_a_number_someone_else_wrote_meanwhile():
    assert next_number(AuditEntry, "object_id", "AB-", width=6) == "AB-000001"
    entry("AB-000002")
    entry("AB-000003")
    assert next_number(AuditEntry, "object_id", "AB-", width=6) == "AB-000004"


@pytest.mark.django_db
def test_it_numbers_by_the_local_day_whatever_time_zone_is_active(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    instant = datetime(2026, 12, 5, 6, 47, tzinfo=CST)  # 2026-12-04 22:47 UTC
    with timezone.override("UTC"):
        assert local_day(instant).isoformat() == "2026-12-05"
        assert day_prefix("DB", instant) == "DB20261205-"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="two writers at once: PostgreSQL")
def test_eight_transactions_at_once_get_eight_numbers():
    def issue():
        with transaction.atomic():
            number = next_number(AuditEntry, "object_id", "AB20261205-")
            entry(number)
            return number

    numbers = at_once(*[issue] * 8)
    assert sorted(numbers) == [f"AB20261205-{n:04d}" for n in range(1, 9)]
    assert connection.vendor == "postgresql"
