"""Backup and restore, proven (docs/ledger.md): a backup of a centre with cases, alerts, a complaint,
a sealed evidence clip and signed roots is restored after the database and the files are lost; then
verify_ledger and verify_evidence pass and the pages show the same numbers. A backup that does not
match its manifest is refused before anything is touched."""
import hashlib
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.utils import timezone

from clearwindow.testing.ledger import _Out as Out


CONTENT = b"a sealed clip, not really an mp4"


@pytest.fixture
def places(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    return tmp_path


def centre_with_records(org, api_client, places):
    """Cases with alerts, a complaint, a sealed evidence clip and an attachment, and a fixed, signed root."""
    from cases.ingest import ingest
    from clearwindow.testing.events import ev
    from clearwindow.testing.records import submit_complaint as submit
    from ledger.ticks import fix_roots
    from video.conf import evidence_root
    from video.models import Camera, EvidenceClip

    client, _ = api_client
    now = timezone.now()
    events = []
    for n in range(1, 6):
        no = f"152502-20260525-00000{n}"
        received = (now - timedelta(days=20)).isoformat()
        events += [ev(no, "received", received, item_code="ITEM-PLAIN"),
                   ev(no, "accepted", received, staff="王芳")]
    assert ingest(client, events, now=now).accepted == 10
    submit(org, now=now)
    camera = Camera.objects.create(code="camB", name="大厅全景", hall=org["hall"], stream_url="rtsp://x/1")
    path = evidence_root() / "camB" / "clip.mp4"
    path.parent.mkdir(parents=True)
    path.write_bytes(CONTENT)
    EvidenceClip.objects.create(camera=camera, instant=now, start=now, end=now, path="camB/clip.mp4",
                                size=len(CONTENT), sha256=hashlib.sha256(CONTENT).hexdigest(), sealed_at=now,
                                sealed_by_name="county_sup", reason="窗口争执")
    (places / "media" / "urges").mkdir(parents=True)
    (places / "media" / "urges" / "note.pdf").write_bytes(b"%PDF-1.4 attachment")
    assert fix_roots(now + timedelta(days=1, hours=1)) >= 1


def figures(client, people):
    """What a League supervisor reads: the centre's counters and alert levels, the alert list's total,
    the complaints' count and the ledger's roots page."""
    client.force_login(people["league_supervisor"])
    live = client.get("/supervision/centre/live/").json()
    roots = client.get("/ledger/").content.decode()
    from alerts.models import Alert
    from cases.models import Case, CaseEvent
    from complaints.models import Complaint
    from ledger.models import Block, DailyRoot
    from video.models import EvidenceClip

    return {"open": live["open"], "alerts": live["alerts"], "roots_page": roots[roots.index("<h2"):],
            "counts": [Case.objects.count(), CaseEvent.all_events.count(), Alert.objects.count(),
                       Complaint.objects.count(), EvidenceClip.objects.count(), Block.objects.count(),
                       list(DailyRoot.objects.values_list("root", "signature"))]}


def run(name, *args):
    out = Out()
    call_command(name, *args, stdout=out, stderr=out)
    return out.text


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_a_lost_database_and_files_and_everything_verifies(org, api_client, people, places,
                                                                          client):
    if connection.vendor != "postgresql":
        pytest.skip("the drop-and-restore proof runs on PostgreSQL (SQLite's file is restored by copying it)")
    import shutil

    from ledger.backup import _pg_admin

    centre_with_records(org, api_client, places)
    assert "verified" in run("verify_ledger")
    before = figures(client, people)
    assert before["counts"][:5] == [5, 10, before["counts"][2], 1, 1] and before["counts"][2] >= 1

    out = run("backup", str(places / "backups"))
    backup = places / "backups" / out.split("backup written to ")[1].strip().rsplit("/", 1)[1]
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    assert {"database.dump", "ledger-roots.json", "files/evidence/camB/clip.mp4", "files/media/urges/note.pdf"} \
        <= set(manifest["files"])
    assert manifest["keys"]["LEDGER_SIGNING_KEY_FILE"] and "BEGIN PRIVATE KEY" not in (backup / "manifest.json").read_text()
    assert (backup / "manifest.sig").exists()

    # the machine is lost: the database and the files are gone
    name = connection.settings_dict["NAME"]
    connections.close_all()
    from psycopg import sql

    _pg_admin(connection.settings_dict, sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
    shutil.rmtree(places / "evidence")
    shutil.rmtree(places / "media")

    assert "restored the backup" in run("restore", str(backup))
    assert "every chain and every ledgered table verified" in run("verify_ledger")
    assert "1 ok, 0 altered or missing" in run("verify_evidence")
    assert (places / "media" / "urges" / "note.pdf").read_bytes() == b"%PDF-1.4 attachment"
    assert figures(client, people) == before


@pytest.mark.django_db(transaction=True)  # a SQLite backup is taken outside any transaction, as the command does
def test_a_backup_that_does_not_match_its_manifest_is_refused_before_anything_is_touched(org, api_client, places):
    centre_with_records(org, api_client, places)
    out = run("backup", str(places / "backups"))
    backup = places / "backups" / out.split("backup written to ")[1].strip().rsplit("/", 1)[1]
    assert "files match the manifest" in run("restore", "--check", str(backup))

    clip = backup / "files" / "evidence" / "camB" / "clip.mp4"
    clip.chmod(0o644)
    clip.write_bytes(b"another clip")
    (backup / "files" / "media" / "extra.txt").write_text("added")
    with pytest.raises(CommandError) as refused:
        run("restore", str(backup))
    message = str(refused.value)
    assert "nothing was restored" in message
    assert "files/evidence/camB/clip.mp4: its SM3 hash is not the manifest's" in message
    assert "files/media/extra.txt: not in the manifest" in message


@pytest.mark.django_db(transaction=True)
def test_a_restore_never_overwrites_a_database_that_holds_data(org, api_client, places):
    centre_with_records(org, api_client, places)
    out = run("backup", str(places / "backups"))
    backup = places / "backups" / out.split("backup written to ")[1].strip().rsplit("/", 1)[1]
    with pytest.raises(CommandError, match="database: "):
        run("restore", str(backup))


@pytest.mark.django_db(transaction=True)
def test_a_manifest_edited_to_match_a_changed_file_no_longer_verifies_its_signature(org, api_client, places):
    from ledger.backup import sm3_file

    centre_with_records(org, api_client, places)
    out = run("backup", str(places / "backups"))
    backup = places / "backups" / out.split("backup written to ")[1].strip().rsplit("/", 1)[1]
    roots = backup / "ledger-roots.json"
    roots.write_text(roots.read_text(encoding="utf-8").replace('"root": "', '"root": "0'), encoding="utf-8")
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"]["ledger-roots.json"] = {"size": roots.stat().st_size, "sm3": sm3_file(roots)}
    (backup / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True),
                                          encoding="utf-8")
    with pytest.raises(CommandError, match="the manifest's signature does not verify"):
        run("restore", "--check", str(backup))
