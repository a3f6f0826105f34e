"""A published month's scores are ledgered when the month is published (docs/ledger.md): a score
edited afterwards with SQL is caught and named by verify_ledger."""
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from performance.actions import do_publish_period, do_review_period, do_score_month
from performance.models import Score

from clearwindow.testing.records import case

from .conftest import MARCH, NOW


def test_a_published_score_edited_by_sql_is_caught_and_named(world):
    case(world["dept"])
    period = do_score_month(MARCH, actor="test", now=NOW)
    do_review_period(period, actor="test")
    do_publish_period(period, actor="test")
    call_command("verify_ledger", stdout=StringIO())  # verifies: raises nothing
    score = Score.objects.filter(period=period, total__isnull=False).order_by("id").first()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE performance_score SET total = 99.50 WHERE id = %s", [score.pk])
    out = StringIO()
    with pytest.raises(CommandError, match="divergence"):
        call_command("verify_ledger", stdout=out)
    assert f'performance_score row id={score.pk}: changed: total: "{score.total}" in the ledger, now "99.50"' \
        in out.getvalue()


def published(world):
    case(world["dept"])
    period = do_score_month(MARCH, actor="test", now=NOW)
    do_review_period(period, actor="test")
    return do_publish_period(period, actor="test")


def divergences():
    out = StringIO()
    with pytest.raises(CommandError, match="divergence"):
        call_command("verify_ledger", stdout=out)
    return out.getvalue()


def test_what_the_bulletin_prints_is_ledgered_a_score_line_edited_by_sql_is_caught(world):
    from performance.models import ScoreLine

    period = published(world)
    call_command("verify_ledger", stdout=StringIO())
    line = ScoreLine.objects.filter(score__period=period).order_by("id").first()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE performance_scoreline SET lost = 0, points = 99 WHERE id = %s", [line.pk])
    assert f'performance_scoreline row id={line.pk}: changed: ' in divergences()


def test_a_published_month_taken_back_by_sql_is_caught(world):
    period = published(world)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE performance_period SET status = 'reviewed' WHERE id = %s", [period.pk])
    assert (f'performance_period row id={period.pk}: changed: status: "published" in the ledger, now "reviewed"'
            in divergences())


def test_scores_of_a_month_not_yet_published_are_not_records(world):
    from performance.models import ScoreLine

    case(world["dept"])
    period = do_score_month(MARCH, actor="test", now=NOW)
    with connection.cursor() as cursor:  # recomputed freely before publication: no divergence
        cursor.execute("UPDATE performance_scoreline SET points = 99 WHERE id = %s",
                       [ScoreLine.objects.filter(score__period=period).values_list("pk", flat=True).first()])
    call_command("verify_ledger", stdout=StringIO())
