"""The live simulator: new cases and their next events go through ingest as live events."""
import os
import signal
import threading
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from alerts.models import Alert
from cases.models import Case, CaseEvent
from demo.setup import demo_client
from demo.simulate import Simulator


@pytest.fixture
def region(db):
    call_command("demo_setup", "--history-days", "0")


def test_it_sends_new_cases_once(region, capsys):
    call_command("simulate", "--once", "--seed", "1", "--receipts", "5")
    out = capsys.readouterr().out
    assert "rejected 0" in out
    events = CaseEvent.objects.all()
    assert events.filter(type="received").count() == Case.objects.count() > 0
    assert not events.filter(historical=True).exists()
    assert all(abs(e.occurred_at - timezone.now()) < timedelta(minutes=1) for e in events)
    assert all(no.split("-")[2] >= "900001" for no in Case.objects.values_list("case_no", flat=True))


def test_it_refuses_to_run_without_the_demo_region(db):
    with pytest.raises(CommandError, match="demo_setup"):
        call_command("simulate", "--once")


def test_it_moves_cases_on_to_their_end_with_some_anomalies(region):
    sim = Simulator(demo_client(), seed=3, receipts=3, advance=20, anomaly_rate=0.3)
    start = timezone.now()
    for n in range(40):
        events, result = sim.tick(start + timedelta(seconds=5 * n))
        assert not result.rejected, result.rejected
        assert all(e["occurred_at"].endswith("+08:00") for e in events)
    statuses = set(Case.objects.values_list("status", flat=True))
    assert "completed" in statuses and "in_progress" in statuses
    types = set(CaseEvent.objects.values_list("type", flat=True))
    assert {"received", "accepted", "step_completed", "completed"} <= types
    assert Alert.objects.exists()  # the anomalies were caught


def test_it_stops_cleanly_on_sigterm(region, capsys):
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    timer = threading.Timer(1.5, os.kill, (os.getpid(), signal.SIGTERM))
    timer.start()
    try:
        call_command("simulate", "--interval", "0.1", "--seed", "2")
    finally:
        timer.cancel()
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    assert capsys.readouterr().out.strip().endswith("simulator stopped")
    assert CaseEvent.objects.exists()
