"""The demo fills the insight screens from the start (issue 16): the likely-to-breach list, the
BREACH_LIKELY notices (switched on for the demo, docs/insight.md), where the time goes and the paths."""
import importlib
from datetime import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from alerts.models import Alert
from core.models import AuditEntry
from demo.setup import do_load_history
from insight.models import CaseForecast, ForecastConfig

NOW = datetime(2026, 3, 20, 16, 30, tzinfo=timezone.get_fixed_timezone(480))  # a Friday afternoon


@pytest.fixture
def insight_demo(db):
    call_command("demo_setup", "--history-days", "0")
    do_load_history(40, now=NOW, departments=["152500-SCJG", "152502-SCJG"], scale=2)
    return importlib.import_module("insight.demo").populate(NOW)


def test_it_switches_the_rule_on_and_forecasts_every_open_case(insight_demo):
    config = ForecastConfig.current()
    assert config.enabled and config.threshold == 0.5 and config.refreshed_at == NOW
    assert insight_demo["forecasts"] > 50 and insight_demo["likely to breach"] < insight_demo["forecasts"]
    notices = Alert.objects.filter(rule="BREACH_LIKELY", status="open")
    # one notice per case at or over the threshold and not yet past its promised date (a late case is named
    # by the clock's overdue alerts, docs/insight.md)
    likely = CaseForecast.objects.not_yet_due().filter(probability__gte=0.5)
    assert notices.count() == likely.count() == insight_demo["likely to breach"]
    late = CaseForecast.objects.filter(probability__gte=0.5, remaining_days__lt=0).values_list("case_no", flat=True)
    assert late and not notices.filter(subject_key__in=list(late)).exists()
    assert set(notices.values_list("level", flat=True)) <= {"notice"}
    # switched on once, in the audit ledger, with the reason
    entry = AuditEntry.objects.get(action="forecast_config")
    assert entry.after == {"enabled": True, "threshold": 0.5} and "演示" in entry.reason


def test_the_screens_show_the_forecast_and_where_the_time_goes(insight_demo, client, django_user_model):
    client.force_login(django_user_model.objects.get(username="league_supervisor"))
    likely = client.get("/supervision/likely/")
    listed = list(likely.context["page"].object_list)
    assert listed and "暂无预测" not in likely.content.decode()
    assert listed[0].probability >= listed[-1].probability
    time_page = client.get("/insight/time/").content.decode()
    # the two heat maps and the trend are drawn (each would be 无数据 without timings)
    assert 'id="heat-dept"' in time_page and 'id="heat-item"' in time_page and 'id="trend"' in time_page
    assert "锡林郭勒盟市场监督管理局" in time_page
    assert len(client.get("/insight/variants/").context["top"]) > 1  # the paths the cases followed


def test_it_keeps_an_administrators_setting_when_run_again(insight_demo):
    ForecastConfig.objects.update(enabled=False)
    again = importlib.import_module("insight.demo").populate(NOW)
    assert again["rule switched on"] == 0 and not ForecastConfig.current().enabled
    assert AuditEntry.objects.filter(action="forecast_config").count() == 1
