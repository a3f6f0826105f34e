"""create_api_client and import_events, as an operator runs them."""
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cases.models import ApiClient, Case, CaseEvent, ImportRun, RejectedEvent, hash_key

from .helpers import ev

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
