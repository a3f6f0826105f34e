"""The bulk writers of the hot path (core.bulk, cases.bulk) on each database: what they store is what
the ORM would store, and a concurrent duplicate never fails a batch."""
from datetime import datetime, timedelta, timezone as dt_timezone

import pytest
from django.db import transaction

from alerts.models import Alert, AlertChange
from cases.bulk import insert_events
from cases.models import Case, CaseEvent
from core import bulk

UTC = dt_timezone.utc
AT = datetime(2025, 9, 30, 1, 10, tzinfo=UTC)


def event_row(client, event_id, case_no="C1", at=AT):
    return (client.pk, "api", event_id, case_no, "received", at, at + timedelta(minutes=1),
            {"item_code": "ITEM-PLAIN", "applicant": {"name": "王芳"}}, False, False)


def test_insert_events_stores_rows_as_the_orm_reads_them(api_client):
    client, _ = api_client
    with transaction.atomic():
        insert_events([event_row(client, "e1"), event_row(client, "e2", "C2")])
    stored = CaseEvent.objects.get(event_id="e1")
    assert stored.occurred_at == AT
    assert stored.data == {"item_code": "ITEM-PLAIN", "applicant": {"name": "王芳"}}
    assert CaseEvent.objects.filter(occurred_at__lte=AT).count() == 2


def test_a_concurrent_duplicate_is_skipped_and_the_rest_stored(api_client):
    client, _ = api_client
    with transaction.atomic():
        insert_events([event_row(client, "e1")])
    # as if another request had stored e1 between our duplicate check and our write
    with transaction.atomic():
        insert_events([event_row(client, "e0"), event_row(client, "e1", "OTHER"), event_row(client, "e2")])
    assert sorted(CaseEvent.objects.values_list("event_id", flat=True)) == ["e0", "e1", "e2"]
    assert CaseEvent.objects.get(event_id="e1").case_no == "C1"  # the first one stands


def test_insert_with_ids_lets_change_rows_point_at_new_alerts(org):
    gone = Alert.objects.create(subject_type="case", subject_key="GONE", rule="OVERDUE", level="yellow",
                                raised_at=AT, region=org["county"])
    freed = gone.pk
    gone.delete()  # the table's highest id was used and freed: a new one must not take it again
    alerts = [Alert(subject_type="case", subject_key=f"C{i}", rule="OVERDUE", level="yellow", raised_at=AT,
                    region=org["county"], department=org["dept"]) for i in range(3)]
    with transaction.atomic():
        bulk.insert(Alert, alerts, ids=True)
        bulk.insert(AlertChange, [AlertChange(alert=a, at=AT, actor_name="system", to_status="open", to_level="yellow")
                                  for a in alerts])
    assert all(a.pk for a in alerts) and len({a.pk for a in alerts}) == 3 and freed not in {a.pk for a in alerts}
    assert {a.pk: a.subject_key for a in alerts} == dict(Alert.objects.values_list("pk", "subject_key"))
    assert sorted(AlertChange.objects.values_list("alert__subject_key", flat=True)) == ["C0", "C1", "C2"]
    # the ids came from the table's own sequence: the ORM's next row does not collide
    later = Alert.objects.create(subject_type="case", subject_key="C9", rule="OVERDUE", level="yellow",
                                 raised_at=AT, region=org["county"])
    assert later.pk not in {a.pk for a in alerts}


def test_insert_and_fetch_give_the_rows_the_orm_gives(org):
    rows = [bulk.build(Case, case_no="C1", status="received", check_code="111111", late=True,
                       received_at=AT, department_id=org["dept"].pk, quality_notes=[{"note": "x", "seq": 7}]),
            bulk.build(Case, case_no="C2", check_code="222222")]
    with transaction.atomic():
        bulk.insert(Case, rows)
    stored = {c.case_no: c for c in Case.objects.all()}
    one, two = stored["C1"], stored["C2"]
    assert (one.status, one.late, one.received_at, one.department) == ("received", True, AT, org["dept"])
    assert one.quality_notes == [{"note": "x", "seq": 7}]
    assert (two.status, two.quality_notes, two.late) == ("incomplete", [], False)  # the model's defaults
    assert one.updated_at is not None
    fetched = {c.case_no: c for c in bulk.fetch(Case.objects.all())}
    for no, case in stored.items():
        assert {f.attname: getattr(fetched[no], f.attname) for f in Case._meta.concrete_fields} == \
            {f.attname: getattr(case, f.attname) for f in Case._meta.concrete_fields}
    # fetched instances behave as the ORM's: related objects load, and save() updates the row
    assert fetched["C1"].department == org["dept"]
    fetched["C2"].status = "received"
    fetched["C2"].save()
    assert Case.objects.get(case_no="C2").status == "received" and Case.objects.count() == 2


@pytest.mark.parametrize("values, expected", [([], []), (["C1"], ["C1"]), (["C1", "C3", "nope"], ["C1", "C3"])])
def test_anyof_matches_like_in(db, values, expected):
    for no in ("C1", "C2", "C3"):
        Case.objects.create(case_no=no)
    assert sorted(Case.objects.filter(case_no__anyof=values).values_list("case_no", flat=True)) == expected
    assert Case.objects.filter(case_no__anyof=set(values)).count() == len(expected)


def test_update_writes_only_the_named_fields_of_each_row(org):
    one = Case.objects.create(case_no="C1", status="received", alert_level="", late=False)
    two = Case.objects.create(case_no="C2", status="received", alert_level="", late=False)
    with transaction.atomic():
        bulk.update(Case, [Case(pk=one.pk, alert_level="red", status="ignored"),
                           Case(pk=two.pk, alert_level="notice", status="ignored")], ["alert_level"])
    assert list(Case.objects.order_by("case_no").values_list("alert_level", "status")) == [
        ("red", "received"), ("notice", "received")]


def test_a_second_update_in_one_transaction_writes_only_its_own_rows(org):
    """The staging table keeps its rows until the transaction ends: the second write must not apply
    the first one's rows again (here: put back the level the first one wrote in between)."""
    one = Case.objects.create(case_no="C1", status="received", alert_level="", late=False)
    two = Case.objects.create(case_no="C2", status="received", alert_level="", late=False)
    with transaction.atomic():
        bulk.update(Case, [Case(pk=one.pk, alert_level="red")], ["alert_level"])
        Case.objects.filter(pk=one.pk).update(alert_level="yellow")
        bulk.update(Case, [Case(pk=two.pk, alert_level="notice")], ["alert_level"])
    assert list(Case.objects.order_by("case_no").values_list("alert_level", flat=True)) == ["yellow", "notice"]
    bulk.update(Case, [Case(pk=two.pk, alert_level="red")], ["alert_level"])  # outside a transaction: its own
    assert Case.objects.get(pk=two.pk).alert_level == "red"


def test_references_without_database_constraints_are_still_guarded_by_the_orm(api_client, org):
    """The event and case rows' references have no foreign-key constraint in the database (see
    cases.models): deleting what they point to must still be refused, or set them to null."""
    from django.db.models import ProtectedError

    from cases.ingest import ingest

    from clearwindow.testing.events import ev

    client, _ = api_client
    ingest(client, [ev("XL-REF", "received", "2025-09-30T09:10:00+08:00", item_code="ITEM-PLAIN", window="XL-W01")])
    case = Case.objects.get(case_no="XL-REF")
    assert case.window == org["window"] and case.department == org["dept"]
    for protected in (client, org["dept"], case.item):
        with pytest.raises(ProtectedError):
            protected.delete()
    org["window"].delete()  # SET_NULL
    assert Case.objects.get(case_no="XL-REF").window_id is None
