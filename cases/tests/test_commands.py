"""create_api_client and import_events, as an operator runs them."""
import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from cases.models import ApiClient, Case, CaseEvent, ImportRun, RejectedEvent, hash_key

from clearwindow.testing.events import ev

AT = "2025-09-30T09:10:00+08:00"


def test_it_prints_a_new_key_once_and_keeps_only_its_hash(org, items):
    out = StringIO()
    call_command("create_api_client", "xl-system", "--department", "XL-SCJ", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    client = ApiClient.objects.get(name="xl-system")
    assert key.startswith("cw_") and client.key_hash == hash_key(key) and key not in client.key_hash
    assert list(client.departments.values_list("code", flat=True)) == ["XL-SCJ"]


def test_it_refuses_unknown_scopes_and_duplicate_names(org, items):
    with pytest.raises(CommandError, match="--department: unknown department code"):
        call_command("create_api_client", "x", "--department", "NOPE", stdout=StringIO())
    with pytest.raises(CommandError, match="--region: unknown region code"):
        call_command("create_api_client", "y", "--region", "999999", stdout=StringIO())
    call_command("create_api_client", "z", "--region", "152500", stdout=StringIO())
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_api_client", "z", "--region", "152500", stdout=StringIO())


def write_jsonl(path, events, bad_lines=()):
    lines = [json.dumps(e) for e in events]
    for index, text in bad_lines:
        lines.insert(index, text)
    path.write_text("\n".join(lines) + "\n")
    return path


def history(n):
    events = []
    for i in range(n):
        events += [ev(f"IMP-{i}", "received", AT, item_code="ITEM-PLAIN"), ev(f"IMP-{i}", "accepted", AT, staff="a"),
                   ev(f"IMP-{i}", "completed", "2025-10-09T10:00:00+08:00", result="approved", staff="a")]
    return events


def test_it_imports_history_as_historical_and_keeps_bad_lines(tmp_path, api_client):
    client, _ = api_client
    path = write_jsonl(tmp_path / "h.jsonl", history(4), bad_lines=[(2, "{broken")])
    out = StringIO()
    call_command("import_events", str(path), "--client", client.name, "--batch", "5", "--quiet", stdout=out)
    assert "13 lines: 12 accepted, 0 duplicates, 1 rejected" in out.getvalue()
    assert CaseEvent.objects.filter(historical=True).count() == 12
    assert not CaseEvent.objects.filter(late_arrival=True).exists()  # history is never "late"
    assert Case.objects.filter(status="completed", late=False).count() == 4
    assert RejectedEvent.objects.get(source="import").error.startswith("line 3: not valid JSON")


def test_a_line_with_nan_is_kept_as_not_json_and_the_import_goes_on(tmp_path, api_client):
    """Python's json reads NaN; the event would then be refused and kept for review with a payload
    no JSON column can store, failing the whole import."""
    client, _ = api_client
    nan = '{"event_id": "n1", "case_no": "IMP-0", "type": "extended", "occurred_at": "%s", "days": NaN}' % AT
    path = write_jsonl(tmp_path / "h.jsonl", history(2), bad_lines=[(1, nan)])
    out = StringIO()
    call_command("import_events", str(path), "--client", client.name, "--quiet", stdout=out)
    assert "7 lines: 6 accepted, 0 duplicates, 1 rejected" in out.getvalue()
    assert RejectedEvent.objects.get(source="import").error.startswith("line 2: not valid JSON (NaN is not a JSON")


def test_it_resumes_an_interrupted_import(tmp_path, api_client):
    client, _ = api_client
    events = history(3)
    path = write_jsonl(tmp_path / "h.jsonl", events)
    first_four = sum(len(line) + 1 for line in path.read_text().splitlines()[:4])
    ImportRun.objects.create(path=str(path), size=path.stat().st_size, client=client, offset=first_four, lines=4)
    out = StringIO()
    call_command("import_events", str(path), "--client", client.name, "--quiet", stdout=out)
    assert "resuming at line 5" in out.getvalue()
    assert CaseEvent.objects.count() == 5  # lines 5..9 only
    assert ImportRun.objects.get().finished_at is not None


def test_it_needs_a_known_client_and_an_existing_file(tmp_path, api_client):
    with pytest.raises(CommandError, match="--client: no API client named"):
        call_command("import_events", str(tmp_path / "x.jsonl"), "--client", "nobody")
    with pytest.raises(CommandError, match="does not exist"):
        call_command("import_events", str(tmp_path / "x.jsonl"), "--client", api_client[0].name)


def by_type(events):
    """Every case's events scattered over the whole file: all receipts, then all acceptances, …"""
    return sorted(events, key=lambda e: ["received", "accepted", "completed"].index(e["type"]))


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="parallel import: PostgreSQL only")
def test_workers_import_parts_of_the_file_at_once_and_each_case_sees_all_its_events(tmp_path, api_client):
    client, _ = api_client
    path = write_jsonl(tmp_path / "h.jsonl", by_type(history(40)), bad_lines=[(100, "{broken")])
    out = StringIO()
    call_command("import_events", str(path), "--client", client.name, "--batch", "7", "--workers", "3", "--quiet",
                 stdout=out)
    assert "121 lines: 120 accepted, 0 duplicates, 1 rejected" in out.getvalue()
    assert Case.objects.filter(status="completed", late=False).count() == 40
    runs = list(ImportRun.objects.order_by("start"))
    assert len(runs) == 3 and all(run.finished_at for run in runs)
    assert [run.end for run in runs[:-1]] == [run.start for run in runs[1:]] and runs[-1].end is None
    assert sum(run.lines for run in runs) == 121
    # line numbers stay those of the whole file, whichever worker read the line
    assert RejectedEvent.objects.get(source="import").error.startswith("line 101: not valid JSON")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="parallel import: PostgreSQL only")
def test_an_interrupted_parallel_import_resumes_every_part(tmp_path, api_client):
    client, _ = api_client
    path = write_jsonl(tmp_path / "h.jsonl", by_type(history(10)))
    lines = path.read_bytes().splitlines(keepends=True)
    middle = sum(len(line) for line in lines[:15])
    # as left by two workers stopped after their first batch of 5 lines
    first, second = sum(len(line) for line in lines[:5]), sum(len(line) for line in lines[:20])
    size = path.stat().st_size
    ImportRun.objects.create(path=str(path), size=size, client=client, start=0, end=middle, offset=first, lines=5)
    ImportRun.objects.create(path=str(path), size=size, client=client, start=middle, first_line=15, offset=second,
                             lines=5)
    out = StringIO()
    call_command("import_events", str(path), "--client", client.name, "--workers", "2", "--quiet", stdout=out)
    assert re.search(r"resuming 2 parts, 3\d% done", out.getvalue())  # 10 of 30 lines, by bytes
    assert CaseEvent.objects.count() == 20  # the 10 lines already done are not read again
    assert ImportRun.objects.filter(finished_at=None).count() == 0


def test_workers_need_postgresql_and_a_sensible_count(tmp_path, api_client):
    path = write_jsonl(tmp_path / "h.jsonl", history(1))
    with pytest.raises(CommandError, match="--workers: 0 is not a number of processes"):
        call_command("import_events", str(path), "--client", api_client[0].name, "--workers", "0")
    if connection.vendor == "sqlite":
        with pytest.raises(CommandError, match="--workers: parallel import needs PostgreSQL"):
            call_command("import_events", str(path), "--client", api_client[0].name, "--workers", "2")


def test_a_long_import_refreshes_the_planner_statistics_as_it_grows(tmp_path, api_client, monkeypatch):
    from cases.management.commands import import_events

    monkeypatch.setattr(import_events, "ANALYZE_FIRST", 3)
    client, _ = api_client
    path = write_jsonl(tmp_path / "h.jsonl", history(4))
    call_command("import_events", str(path), "--client", client.name, "--batch", "3", "--quiet", stdout=StringIO())
    assert Case.objects.filter(status="completed").count() == 4
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'cases_caseevent'")
            assert cursor.fetchone()[0] > 0  # ANALYZE has counted the rows
