"""The PostgreSQL session settings ClearWindow connects with (clearwindow.settings._pg_options)."""
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from clearwindow import settings


def test_the_planner_prices_random_reads_as_on_ssd(monkeypatch):
    monkeypatch.delenv("PG_RANDOM_PAGE_COST", raising=False)
    assert settings._pg_options() == {"options": "-c random_page_cost=1.1"}
    monkeypatch.setenv("PG_RANDOM_PAGE_COST", "2")
    assert settings._pg_options() == {"options": "-c random_page_cost=2"}
    monkeypatch.setenv("PG_RANDOM_PAGE_COST", "")  # a pooler that refuses start-up options: the server's own
    assert settings._pg_options() == {}


@pytest.mark.parametrize("bad", ["fast", "0", "-1", "nan"])
def test_a_bad_random_page_cost_is_refused_naming_the_setting(monkeypatch, bad):
    monkeypatch.setenv("PG_RANDOM_PAGE_COST", bad)
    with pytest.raises(ImproperlyConfigured, match="PG_RANDOM_PAGE_COST"):
        settings._pg_options()


@pytest.mark.django_db
def test_a_postgresql_session_runs_with_it():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"
