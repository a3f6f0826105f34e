"""The sweeper raises time-based alerts when they fall due; the worker stops cleanly on SIGTERM."""
import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from alerts.models import Alert
from cases.ingest import ingest
from cases.models import Case
from cases.ticks import sweep
from clearwindow.testing.events import ev

TZ = ZoneInfo("Asia/Shanghai")
ROOT = Path(__file__).resolve().parents[2]


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def test_it_raises_due_soon_and_overdue_when_they_fall_due(api_client):
    client, _ = api_client
    start = "2025-09-30T09:10:00+08:00"
    ingest(client, [ev("SW-1", "received", start, item_code="ITEM-PLAIN"), ev("SW-1", "accepted", start, staff="a")],
           now=at("2025-10-10T12:00"))
    case = Case.objects.get(case_no="SW-1")
    assert case.next_check_at == at("2025-10-11T00:00")
    assert sweep(at("2025-10-10T23:59")) == 0
    assert sweep(at("2025-10-11T00:00")) == 1
    due_soon = Alert.objects.get(subject_key="SW-1", rule="DUE_SOON")
    assert due_soon.raised_at == at("2025-10-11T00:00") and due_soon.status == "open"
    assert sweep(at("2025-10-15T08:00")) == 1
    overdue = Alert.objects.get(subject_key="SW-1", rule="OVERDUE")
    assert overdue.raised_at == at("2025-10-15T00:00")
    due_soon.refresh_from_db()
    assert due_soon.status == "closed"  # DUE_SOON closes itself when the case turns OVERDUE
    case.refresh_from_db()
    assert case.alert_level == "yellow" and case.late
    assert case.next_check_at == at("2025-11-05T00:00")  # LEGAL_OVERDUE is the next thing that can happen


def test_it_sweeps_only_what_is_due(api_client):
    client, _ = api_client
    now = at("2026-03-02T12:00")
    for i in range(30):
        start = f"2026-03-02T09:{i:02d}:00+08:00"
        ingest(client, [ev(f"SW-N{i}", "received", start, item_code="ITEM-PLAIN"),
                        ev(f"SW-N{i}", "accepted", start, staff="a")], now=now)
    assert sweep(now) == 0
    assert Case.objects.filter(next_check_at__isnull=False).count() == 30


def test_it_stops_cleanly_on_sigterm(tmp_path):
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path}/w.sqlite3", PYTHONUNBUFFERED="1")
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    worker = subprocess.Popen([sys.executable, "manage.py", "supervise", "--interval", "0.5"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        first = worker.stdout.readline()
        assert first.startswith("supervise: ticks") and "cases.sweep" in first
        time.sleep(1)
        worker.send_signal(signal.SIGTERM)
        out, _ = worker.communicate(timeout=20)
    finally:
        worker.kill()
    assert worker.returncode == 0
    assert "supervise: stopped" in out
