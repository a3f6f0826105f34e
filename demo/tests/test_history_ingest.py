"""The generated history through the real ingest: nothing refused, the anomalies become alerts."""
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from alerts.models import Alert
from cases.models import ApiClient, Case, CaseEvent, RejectedEvent
from demo.setup import DEMO_CLIENT, do_load_history

LAND_REGISTRY = "152500-ZRZY"  # 不动产登记: busy, and it charges fees


@pytest.fixture
def region(db):
    call_command("demo_setup", "--history-days", "0")


def load():
    return do_load_history(3, end=date(2026, 3, 4), departments=[LAND_REGISTRY], scale=10)


def test_it_ingests_a_small_history_with_nothing_refused(region):
    totals = load()
    assert totals["rejected"] == 0 and not RejectedEvent.objects.exists()
    assert totals["cases"] == Case.objects.count() > 100
    assert totals["events"] == totals["accepted"] == CaseEvent.objects.count()
    assert not CaseEvent.objects.filter(historical=False).exists()
    assert not CaseEvent.objects.filter(late_arrival=True).exists()  # an import is not late
    client = ApiClient.objects.get(name=DEMO_CLIENT)
    assert client.region_id == "152500"
    assert set(Case.objects.values_list("department__code", flat=True)) == {LAND_REGISTRY}


def test_it_turns_the_injected_anomalies_into_alerts(region):
    load()
    rules = dict(Alert.objects.values_list("rule").annotate(n=Count("id")))
    for rule in ("OVERDUE", "ACCEPT_LATE", "FEE_OVER_STANDARD", "REPEATED_SUPPLEMENT", "STEP_OUT_OF_ORDER",
                 "STEP_SKIPPED", "EXTENSION_INVALID"):
        assert rules.get(rule, 0) > 0, rule
    cases = Case.objects.count()
    assert Case.objects.filter(status="completed", late=False).count() > 0.75 * cases  # mostly on time
    assert Case.objects.filter(deemed_accepted=True).exists()


def test_it_changes_nothing_when_sent_again(region):
    first = load()
    alerts = Alert.objects.count()
    again = load()
    assert again["accepted"] == 0 and again["duplicates"] == first["events"]
    assert Alert.objects.count() == alerts


def test_it_runs_from_the_command_line(region, capsys):
    call_command("demo_history", "--days", "2", "--department", LAND_REGISTRY)
    assert "rejected 0" in capsys.readouterr().out
    today = timezone.localdate()
    assert not Case.objects.filter(received_at__date__lt=today - timedelta(days=2)).exists()


def test_cases_computed_from_their_batch_equal_those_computed_from_the_table(region):
    """Ingest computes cases new in a batch from the batch without reading them back; recomputing
    every case from its stored events and alerts must change nothing (rows, alerts, notes)."""
    from datetime import datetime, timezone as dt_timezone

    from cases.projection import UPDATE_FIELDS, recompute

    now = datetime(2026, 3, 25, 4, 0, tzinfo=dt_timezone.utc)  # three weeks on: most ended, some overdue
    do_load_history(3, end=date(2026, 3, 4), now=now, departments=[LAND_REGISTRY], scale=10)

    def stored():
        rows = {c.case_no: {f: getattr(c, f) for f in UPDATE_FIELDS} for c in Case.objects.all()}
        alerts = sorted(Alert.objects.values_list("subject_key", "rule", "step", "level", "raised_at", "status"))
        return rows, alerts

    from_batches = stored()
    assert len(from_batches[0]) > 100 and len(from_batches[1]) > 20
    assert any(row["quality_notes"] for row in from_batches[0].values())  # the notes carry event ids
    recompute(set(from_batches[0]), now)
    assert stored() == from_batches
