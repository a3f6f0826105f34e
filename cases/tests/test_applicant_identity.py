"""The applicant is kept as one encrypted value (identity: name, ID number and phone together), with a
keyed hash of each part: an applicant made through the ORM and one written by ingest's rows read the same
and are found by the same search; the migration joins the three old columns (encrypted, or plain ones
written before encryption) into the one value, and splits it back."""
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core import crypto

from .. import applicants
from ..models import Applicant, Case

NAME, ID, PHONE = "乌力吉巴图", "15250219870605123X", "13571113579"
BEFORE, AFTER = ("cases", "0008_alter_applicant_options_alter_caseevent_options_and_more"), \
    ("cases", "0009_applicant_identity_one_value")


def stored(case_no):
    with connection.cursor() as cursor:
        cursor.execute("SELECT identity, name_hash, id_number_hash, phone_hash FROM cases_applicant "
                       "WHERE case_no = %s", [case_no])
        return cursor.fetchone()


@pytest.mark.django_db
def test_one_encrypted_value_holds_the_three_and_each_part_keeps_its_hash():
    made = Applicant.objects.create(case=Case.objects.create(case_no="AP-1"), name=NAME, id_number=ID.lower(),
                                    phone="135 7111 3579")
    identity, *hashes = stored("AP-1")
    assert identity.startswith(f"sm4:{crypto.current_key_id()}:") and NAME not in identity and "1357" not in identity
    assert hashes == [crypto.keyed_hash(NAME), crypto.keyed_hash(ID, "id_number"), crypto.keyed_hash(PHONE, "phone")]
    got = Applicant.objects.get(pk=made.pk)
    assert (got.name, got.id_number, got.phone) == (NAME, ID.lower(), "135 7111 3579")  # as given
    assert Case.objects.get(case_no="AP-1").applicant_phone == "135 7111 3579"
    Applicant.objects.create(case=Case.objects.create(case_no="AP-2"))  # nobody given: nothing stored
    assert stored("AP-2") == ("", "", "", "")
    assert (Case.objects.get(case_no="AP-2").applicant_name, Applicant.objects.get(case_id="AP-2").phone) == ("", "")


@pytest.mark.django_db
def test_ingest_rows_and_the_orm_write_the_same_applicant():
    Case.objects.create(case_no="AP-1"), Case.objects.create(case_no="AP-2")
    applicants.store(applicants.rows([("AP-1", {"name": NAME, "phone": PHONE}), ("AP-1", {"name": "后来的"})]))
    by_orm = Applicant.objects.create(case=Case.objects.get(case_no="AP-2"), name=NAME, phone=PHONE)
    ingested = Applicant.objects.get(case_id="AP-1")
    assert (ingested.name, ingested.id_number, ingested.phone) == (NAME, "", PHONE)  # the case's first
    assert stored("AP-1")[1:] == stored("AP-2")[1:] and ingested.identity == by_orm.identity
    for q in (NAME, "135-7111-3579"):
        assert set(Case.objects.filter(applicants.search(q)).values_list("case_no", flat=True)) == {"AP-1", "AP-2"}
    ingested.phone = ""  # a part set through the ORM: its hash follows on save
    ingested.save()
    assert stored("AP-1")[3] == "" and Applicant.objects.get(case_id="AP-1").phone == ""


@pytest.mark.django_db(transaction=True)
def test_the_migration_joins_the_three_columns_into_one_value_and_splits_them_back():
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    aad = "cases.applicant.{}".format
    rows = [  # case_no, name, id_number, phone as stored: encrypted, plain (before encryption), in part, none
        ("AP-1", crypto.encrypt(NAME, aad("name")), crypto.encrypt(ID, aad("id_number")),
         crypto.encrypt(PHONE, aad("phone"))),
        ("AP-2", "张三", "152502199001011234", ""),
        ("AP-3", "", "", crypto.encrypt("13900001111", aad("phone"))),
        ("AP-4", "", "", ""),
    ]
    with connection.cursor() as cursor:
        cursor.executemany("INSERT INTO cases_applicant (case_no, name, name_hash, id_number, id_number_hash, phone, "
                           "phone_hash) VALUES (%s, %s, 'stale', %s, '', %s, '')", rows)
    try:
        MigrationExecutor(connection).migrate([AFTER])
        assert [a.identity for a in Applicant.objects.order_by("case_id")] == [
            crypto.record_text({"name": NAME, "id_number": ID, "phone": PHONE}),
            '{"id_number":"152502199001011234","name":"张三"}', '{"phone":"13900001111"}', ""]
        identity, *hashes = stored("AP-2")
        assert identity.startswith("sm4:") and "张三" not in identity
        assert hashes == [crypto.keyed_hash("张三"), crypto.keyed_hash("152502199001011234", "id_number"), ""]
        MigrationExecutor(connection).migrate([BEFORE])
        with connection.cursor() as cursor:
            cursor.execute("SELECT case_no, name, id_number, phone, name_hash, phone_hash FROM cases_applicant "
                           "ORDER BY case_no")
            back = cursor.fetchall()
        plain = [(no, *(crypto.decrypt(v, aad(c)) for c, v in zip(("name", "id_number", "phone"), values)))
                 for no, *values in [r[:4] for r in back]]
        assert plain == [("AP-1", NAME, ID, PHONE), ("AP-2", "张三", "152502199001011234", ""),
                         ("AP-3", "", "", "13900001111"), ("AP-4", "", "", "")]
        assert all(v.startswith("sm4:") for r in back for v in r[1:4] if v)  # encrypted again, each apart
        assert back[1][4] == crypto.keyed_hash("张三") and back[2][5] == crypto.keyed_hash("13900001111", "phone")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
