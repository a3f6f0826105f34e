"""Personal data encrypted at rest (issue 17 item 4, docs/personal-data.md): a dump of the PostgreSQL
database and the SQLite file hold neither the test phone number nor the ID number (nor the names, the
e-mail, the address), while the pages show them to the roles that may see them, masked where they are
masked; look-ups by phone still find the same person; rotate_keys re-encrypts under a new key, resumably,
and the ledger still verifies."""
import hashlib
import io
import os
import secrets
import subprocess

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from cases import applicants
from cases.ingest import ingest
from cases.models import Applicant, Case, CaseEvent, RejectedEvent
from complaints.actions import do_submit_consultation
from complaints.models import ComplainantIdentity
from clearwindow.testing.records import submit_complaint as submit
from core import crypto
from ledger.verify import run_check

from ..models import Rating
from .test_rating import rate

PHONE, ID, NAME = "13571113579", "15250219870605123X", "乌力吉巴图"
EMAIL, ADDRESS, COMPLAINANT = "wlj.test@example.org", "锡林浩特市额尔敦路七十七号", "萨仁高娃"
SECRETS = [PHONE, ID, NAME, EMAIL, ADDRESS, COMPLAINANT]
EVERY_TABLE = {  # table: its encrypted columns
    "cases_applicant": ["identity"],
    "complaints_complainantidentity": ["name", "phone", "email", "address"],
    "complaints_consultation": ["name", "phone"],
    "evaluations_rating": ["rater_phone"],
}


def received(no, **applicant):
    at = (timezone.now() - timezone.timedelta(minutes=10)).isoformat()
    return [{"event_id": f"{no}-r", "case_no": no, "type": "received", "occurred_at": at, "item_code": "ITEM-PLAIN",
             "window": "XL-W01", "staff": "clerk", "channel": "window", "applicant": applicant},
            {"event_id": f"{no}-a", "case_no": no, "type": "accepted", "occurred_at": at, "staff": "clerk"}]


@pytest.fixture
def world(api_client, items, org, people, calendar_seeded):
    client = api_client[0]
    result = ingest(client, received("PD-1", name=NAME, id_number=ID, phone=PHONE)
                    + [{**received("PD-BAD", name=NAME, id_number=ID, phone=PHONE)[0], "item_code": "NO-SUCH"}])
    assert [r["index"] for r in result.rejected] == [2]  # refused: kept for review
    case = Case.objects.get(case_no="PD-1")
    rating = rate(case, level="very_dissatisfied", comment="态度差", rater_phone=PHONE)
    complaint, _ = submit(org, name=COMPLAINANT, phone=PHONE, email=EMAIL, address=ADDRESS)
    do_submit_consultation(question="营业执照怎么办？", region=org["county"], name=COMPLAINANT, phone=PHONE,
                           channel="portal", actor="portal")
    return {"case": case, "rating": rating, "complaint": complaint, "people": people}


def database_bytes(tmp_path):
    """The whole database as bytes: pg_dump's plain SQL of the test database, or SQLite's file."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
        args = ["pg_dump", "--no-owner", "-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432),
                "-U", db["USER"] or "postgres", db["NAME"]]
        return subprocess.run(args, env=env, capture_output=True, check=True, timeout=120).stdout
    target = tmp_path / "copy.sqlite3"
    with connection.cursor() as cursor:  # the test database may live in memory: its file as it would be on disk
        cursor.execute("VACUUM INTO %s", [str(target)])
    return target.read_bytes()


@pytest.mark.django_db(transaction=True)  # committed: pg_dump reads from its own connection
def test_a_dump_of_the_database_holds_none_of_the_personal_data(world, tmp_path):
    dump = database_bytes(tmp_path)
    assert len(dump) > 10_000 and b"PD-1" in dump  # the dump has the data: the case is in it,
    assert b"135****3579" in dump  # and the refused event's payload, its applicant masked
    for secret in SECRETS:
        assert secret.encode() not in dump, secret
    review = RejectedEvent.objects.get(event_id="PD-BAD-r").payload
    assert review["applicant"] == {"name": "乌****", "id_number": "152502********123X", "phone": "135****3579"}
    assert "applicant" not in CaseEvent.objects.get(event_id="PD-1-r").data  # kept apart, encrypted
    assert run_check()[1] == []  # and the ledger verifies


def assert_every_column_encrypted_under_the_current_key():
    kid = crypto.current_key_id()
    with connection.cursor() as cursor:
        for table, columns in EVERY_TABLE.items():
            cursor.execute(f"SELECT {', '.join(columns)} FROM {table}")
            values = [v for row in cursor.fetchall() for v in row if v]
            assert values and all(v.startswith(f"sm4:{kid}:") for v in values), table


def test_every_encrypted_column_holds_sm4_values_under_the_current_key(world):
    assert_every_column_encrypted_under_the_current_key()


def test_the_pages_show_them_to_the_roles_that_may_see_them(client, world):
    people, case, rating, complaint = world["people"], world["case"], world["rating"], world["complaint"]
    client.force_login(people["county_supervisor"])
    page = client.get(f"/supervision/cases/{case.case_no}/").content.decode()
    assert NAME in page and ID not in page and "152502********123X" in page and "135****3579" in page
    page = client.get(f"/supervision/cases/{case.case_no}/?unmask=1").content.decode()
    assert ID in page and PHONE in page
    page = client.get(f"/office/complaints/{complaint.number}/").content.decode()
    assert all(v in page for v in (COMPLAINANT, PHONE, EMAIL, ADDRESS))
    assert PHONE in client.get(f"/office/evaluations/ratings/{rating.number}/?unmask=1").content.decode()
    client.force_login(people["manager"])  # the department: the rater's phone masked, no complainant
    page = client.get(f"/office/evaluations/ratings/{rating.number}/").content.decode()
    assert "135****3579" in page and PHONE not in page


def test_the_case_search_finds_the_applicant_by_exact_name_id_number_or_phone(client, world):
    client.force_login(world["people"]["county_supervisor"])
    for q in (NAME, ID.lower(), "135 7111 3579"):
        assert "PD-1" in client.get("/supervision/cases/", {"q": q}).content.decode(), q
    assert "PD-1" not in client.get("/supervision/cases/", {"q": "13571113570"}).content.decode()
    client.force_login(world["people"]["clerk"])
    assert "PD-1" in client.get("/cases/workbench/", {"q": NAME}).content.decode()


def test_a_second_complaint_from_the_same_phone_is_offered_for_merging(client, world, org):
    later, _ = submit(org, category="graft", subject="另一件事", name=COMPLAINANT, phone="135-7111-3579",
                      department=org["dept"])
    client.force_login(world["people"]["county_supervisor"])
    page = client.get(f"/office/complaints/{later.number}/").content.decode()
    assert world["complaint"].number in page  # 可能的同一事项


def test_rotate_keys_re_encrypts_everything_resumably_and_the_ledger_still_verifies(world, settings):
    old, new = settings.PERSONAL_DATA_KEY, secrets.token_hex(32)
    hash_before = ComplainantIdentity.objects.get().phone_hash
    settings.PERSONAL_DATA_KEY, settings.PERSONAL_DATA_OLD_KEYS = new, [old]
    # a run that stopped after the first applicant: that row is under the new key already
    applicant = Applicant.objects.get()
    applicant.save()
    call_command("rotate_keys", batch=1, stdout=(out := io.StringIO()))
    assert "cases.applicant: 0 row(s) re-encrypted" in out.getvalue()
    assert "complaints.complainantidentity: 1 row(s)" in out.getvalue()
    assert "evaluations.rating: 1 row(s)" in out.getvalue()
    settings.PERSONAL_DATA_OLD_KEYS = []  # the old key can go
    kid = crypto.current_key_id()
    with connection.cursor() as cursor:
        for table, columns in EVERY_TABLE.items():
            cursor.execute(f"SELECT {', '.join(columns)} FROM {table}")
            assert all(v.startswith(f"sm4:{kid}:") for row in cursor.fetchall() for v in row if v), table
    identity = ComplainantIdentity.objects.get()
    assert (identity.name, identity.phone, identity.email) == (COMPLAINANT, PHONE, EMAIL)
    assert identity.phone_hash != hash_before and identity.phone_hash == crypto.keyed_hash(PHONE, "phone")
    assert Applicant.objects.get().id_number == ID
    assert run_check()[1] == []  # ratings and events are ledgered without the encrypted values
    call_command("rotate_keys", stdout=(again := io.StringIO()))
    assert "evaluations.rating: 0 row(s)" in again.getvalue()


def test_rotate_keys_recomputes_the_applicants_three_hashes_under_the_new_key(world, settings):
    def hashes():
        return Applicant.objects.values_list("name_hash", "id_number_hash", "phone_hash").get()

    before, old = hashes(), settings.PERSONAL_DATA_KEY
    settings.PERSONAL_DATA_KEY, settings.PERSONAL_DATA_OLD_KEYS = secrets.token_hex(32), [old]
    call_command("rotate_keys", stdout=(out := io.StringIO()))
    assert "cases.applicant: 1 row(s) re-encrypted" in out.getvalue()
    settings.PERSONAL_DATA_OLD_KEYS = []  # the old key gone: the applicant still reads and is still found
    applicant = Applicant.objects.get()
    assert applicant.identity and (applicant.name, applicant.id_number, applicant.phone) == (NAME, ID, PHONE)
    assert hashes() == (crypto.keyed_hash(NAME), crypto.keyed_hash(ID, "id_number"), crypto.keyed_hash(PHONE, "phone"))
    assert all(a != b for a, b in zip(hashes(), before))
    for q in (NAME, ID.lower(), "135 7111 3579"):
        assert Case.objects.get(applicants.search(q)).case_no == "PD-1", q


def test_rotate_keys_without_the_old_key_names_the_setting(world, settings):
    settings.PERSONAL_DATA_KEY = secrets.token_hex(32)
    with pytest.raises(CommandError, match="PERSONAL_DATA_OLD_KEYS"):
        call_command("rotate_keys")


@pytest.mark.django_db(transaction=True)
def test_the_migrations_decrypt_the_rows_back_and_encrypt_them_again(world, settings):
    before = [("cases", "0006_caseevent_refusal"), ("complaints", "0002_change_row_base"),
              ("evaluations", "0002_change_row_base")]
    MigrationExecutor(connection).migrate(before)
    with connection.cursor() as cursor:
        cursor.execute("SELECT applicant_name, applicant_id_number, applicant_phone FROM cases_case "
                       "WHERE case_no = 'PD-1'")
        assert cursor.fetchone() == (NAME, ID, PHONE)
        cursor.execute("SELECT name, phone, email, address FROM complaints_complainantidentity")
        assert cursor.fetchone() == (COMPLAINANT, PHONE, EMAIL, ADDRESS)
        cursor.execute("SELECT rater_phone, rater_phone_hash FROM evaluations_rating")
        assert cursor.fetchone() == (PHONE, hashlib.sha256((settings.SECRET_KEY + PHONE).encode()).hexdigest())
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert_every_column_encrypted_under_the_current_key()
    applicant = Applicant.objects.get(case_id="PD-1")
    assert (applicant.name, applicant.id_number, applicant.phone) == (NAME, ID, PHONE)
    assert applicant.id_number_hash == crypto.keyed_hash(ID, "id_number")
    rating = Rating.objects.get()
    assert rating.rater_phone == PHONE and rating.rater_phone_hash == crypto.keyed_hash(PHONE, "phone")
    assert ComplainantIdentity.objects.get().phone_hash == crypto.keyed_hash(PHONE, "phone")
    assert run_check()[1] == []
