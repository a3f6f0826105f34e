"""Calendar edits are ledgered (docs/ledger.md): each revision of the working-day calendar (who, when,
why, the day before and after) is chained; one changed or deleted with SQL is caught and named."""
from datetime import date

import pytest

from clearwindow.testing.ledger import run_verify, sql  # noqa: F401
from workdays.models import CalendarRevision, do_set_day


@pytest.mark.django_db
def test_a_calendar_edit_is_ledgered_and_its_revision_changed_by_sql_is_caught():
    do_set_day(date(2026, 10, 9), False, "holiday", "国庆节", "cal_admin", "国务院办公厅通知（调整）")
    revision = CalendarRevision.objects.order_by("-id").first()
    assert revision.summary["after"]["kind"] == "holiday" and run_verify() == ""
    sql("UPDATE workdays_calendarrevision SET reason = %s WHERE id = %s", ["误录", revision.pk])
    assert (f'workdays_calendarrevision row id={revision.pk}: changed: reason: "国务院办公厅通知（调整）" in the '
            f'ledger, now "误录"') in run_verify()


@pytest.mark.django_db
def test_a_deleted_calendar_revision_is_caught():
    do_set_day(date(2026, 10, 10), True, None, "", "cal_admin", "调休上班")
    revision = CalendarRevision.objects.order_by("-id").first()
    sql("UPDATE workdays_calendarday SET revision_id = NULL WHERE revision_id = %s", [revision.pk])
    sql("DELETE FROM workdays_calendarrevision WHERE id = %s", [revision.pk])
    assert f"workdays_calendarrevision row id={revision.pk}: the row is missing (deleted)" in run_verify()
