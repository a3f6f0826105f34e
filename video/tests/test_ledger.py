"""Evidence seals are ledgered (docs/ledger.md): a clip's seal (its file's hash, what it covers, who
sealed it and why) is chained when it is sealed; a clip's record changed, deleted or inserted with SQL
is caught and named by its UUID, and its proof checks offline."""
import hashlib
import json
import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from clearwindow.testing.ledger import _Out, centre_key, check_offline, fixed_day, run_verify, sql  # noqa: F401
from video.conf import evidence_root
from video.evidence import do_verify_clips
from video.models import Camera, EvidenceClip

CONTENT = b"not really an mp4"


@pytest.fixture
def clip(org, video_dirs):
    camera = Camera.objects.create(code="camC", name="市政务大厅全景", hall=org["hall"], stream_url="rtsp://x/1")
    path = evidence_root() / "camC" / "clip.mp4"
    path.parent.mkdir(parents=True)
    path.write_bytes(CONTENT)
    now = timezone.now()
    return EvidenceClip.objects.create(camera=camera, instant=now, start=now, end=now, path="camC/clip.mp4",
                                       size=len(CONTENT), sha256=hashlib.sha256(CONTENT).hexdigest(),
                                       sealed_at=now, sealed_by_name="county_sup", reason="窗口争执")


def db_key(value):
    """A UUID as the database stores it (SQLite: 32 hex digits; PostgreSQL: its text form)."""
    return value.hex if connection.vendor == "sqlite" else str(value)


@pytest.mark.django_db
def test_a_sealed_clip_verifies_and_its_check_does_not_count_as_a_change(clip):
    assert run_verify() == ""
    do_verify_clips([clip])  # sets verified_at / verified_ok: not part of the seal's record
    assert EvidenceClip.objects.get().verified_ok is True and run_verify() == ""


@pytest.mark.django_db
def test_a_seals_hash_changed_by_sql_is_caught_and_named_by_its_uuid(clip):
    sql("UPDATE video_evidenceclip SET sha256 = %s WHERE id = %s", ["0" * 64, db_key(clip.pk)])
    report = run_verify()
    assert f"video_evidenceclip row id={clip.pk}: changed: sha256: \"{clip.sha256}\" in the ledger, now \"{'0' * 64}\"" \
        in report


@pytest.mark.django_db
def test_a_deleted_seal_and_a_seal_inserted_by_sql_are_caught(clip):
    sql("INSERT INTO video_evidenceclip (id, camera_id, instant, start, \"end\", path, size, sha256, sealed_at, "
        "sealed_by_name, reason) SELECT %s, camera_id, instant, start, \"end\", 'camC/forged.mp4', size, sha256, "
        "sealed_at, sealed_by_name, reason FROM video_evidenceclip", [db_key(forged := uuid.uuid4())])
    report = run_verify()
    assert f"video_evidenceclip row id={forged}: the row has no ledger record (inserted outside ClearWindow)" in report
    sql("DELETE FROM video_evidenceclip WHERE id = %s", [db_key(clip.pk)])
    assert f"video_evidenceclip row id={clip.pk}: the row is missing (deleted)" in run_verify()


@pytest.mark.django_db
def test_a_seals_proof_is_exported_by_its_uuid_and_checks_offline(clip, centre_key, tmp_path):
    from ledger.models import DailyRoot

    day = fixed_day(centre_key)
    path = tmp_path / "proof.json"
    call_command("ledger_proof", "video.evidenceclip", str(clip.pk), "-o", str(path), stdout=_Out())
    record = json.loads(path.read_text(encoding="utf-8"))["record"]
    assert dict(zip(record["columns"], record["values"]))["sha256"] == clip.sha256
    code, out = check_offline(path, "--public-key", DailyRoot.objects.get(day=day).public_key)
    assert code == 0 and f"PROVEN: video.evidenceclip id={clip.pk}" in out


@pytest.mark.django_db
def test_clips_sealed_before_the_upgrade_are_adopted_once(org, video_dirs):
    from django.core.management.base import CommandError

    camera = Camera.objects.create(code="camU", name="大厅", hall=org["hall"], stream_url="rtsp://x/2")
    old = uuid.uuid4()  # sealed by the version before evidence seals were ledgered: a row without a record
    sql("INSERT INTO video_evidenceclip (id, camera_id, instant, start, \"end\", path, size, sha256, sealed_at, "
        "sealed_by_name, reason) VALUES (%s, %s, %s, %s, %s, 'camU/old.mp4', 1, %s, %s, 'old', '')",
        [db_key(old), camera.pk, *[timezone.now()] * 3, "a" * 64, timezone.now()])
    assert f"video_evidenceclip row id={old}: the row has no ledger record" in run_verify()
    out = _Out()
    call_command("ledger_adopt", "video.evidenceclip", stdout=out)
    assert "1 video.evidenceclip records adopted" in out.text and run_verify() == ""
    with pytest.raises(CommandError, match="already holds video.evidenceclip records"):
        call_command("ledger_adopt", "video.evidenceclip", stdout=_Out())
    with pytest.raises(CommandError, match="kinds: 'cases.case' is not ledgered"):
        call_command("ledger_adopt", "cases.case", stdout=_Out())
