"""The monitoring centre's pages: scope, counts after events posted through the API, bounded queries."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from alerts.models import Alert

from clearwindow.testing.events import earlier_today, ev, post
from clearwindow.testing.fixtures import new_client

TZ = ZoneInfo("Asia/Shanghai")



@pytest.fixture
def busy(client, api_client, org, items):
    """Two cases today in the county (one completed), one overdue case, and one case in another banner."""
    _, key = api_client
    at = earlier_today(30)
    post(client, key, [ev("XL-1", "received", at, item_code="ITEM-PLAIN", window="XL-W01"),
                       ev("XL-1", "accepted", at, staff="a"), ev("XL-2", "received", at, item_code="ITEM-PLAIN"),
                       ev("XL-1", "completed", earlier_today(5), result="approved", staff="a")])
    old = "2025-09-30T09:10:00+08:00"
    post(client, key, [ev("XL-OLD", "received", old, item_code="ITEM-PLAIN"), ev("XL-OLD", "accepted", old, staff="a")])
    _, other_key = new_client("abg", departments=[org["other_dept"]])
    post(client, other_key, [ev("ABG-1", "received", at, item_code="ITEM-OTHER")])


def live(client, v=""):
    return client.get("/supervision/centre/live/", {"v": v})


def test_it_counts_today_right_after_events_posted_through_the_api(client, busy, people):
    client.force_login(people["county_supervisor"])
    data = live(client).json()
    assert data["root"]["name"] == "锡林浩特市"
    assert data["today"] == {"received": 2, "accepted": 1, "completed": 1, "completed_late": 0}
    assert data["open"]["open"] == 2 and data["open"]["overdue"] == 1
    assert data["alerts"]["yellow"]["open"] >= 1 and data["alerts"]["red"]["open"] >= 1
    assert {row["subject"] for row in data["feed"]} == {"XL-OLD"}


def test_it_shows_a_banner_centre_only_its_banner(client, busy, people):
    client.force_login(people["other_supervisor"])
    data = live(client).json()
    assert data["root"]["name"] == "阿巴嘎旗"
    assert data["today"]["received"] == 1 and data["open"]["open"] == 1
    assert data["feed"] == [] and all(d["code"] == "ABG-ZJJ" for d in data["departments"])
    page = client.get("/supervision/centre/")
    assert "阿巴嘎旗" in page.content.decode() and "XL-OLD" not in page.content.decode()
    assert client.get("/supervision/cases/XL-OLD/").status_code == 404
    assert "XL-OLD" not in client.get("/supervision/cases/", {"q": "XL"}).content.decode()


def test_it_rolls_the_league_up_by_unit_and_drills_down(client, busy, people):
    client.force_login(people["league_supervisor"])
    data = live(client).json()
    units = {u["code"]: u for u in data["units"]}
    assert units["152502"]["received"] == 2 and units["152522"]["received"] == 1
    assert units["152500"]["name"].endswith("本级")
    drilled = client.get("/supervision/centre/live/", {"unit": "152522"}).json()
    assert drilled["root"]["code"] == "152522" and drilled["today"]["received"] == 1
    dept = client.get("/supervision/departments/XL-SCJ/")
    assert "1号窗口" in dept.content.decode()


def test_it_keeps_departments_and_the_public_out(client, busy, people):
    client.force_login(people["manager"])
    assert client.get("/supervision/centre/").status_code == 403
    assert live(client).status_code == 403
    client.logout()
    assert client.get("/supervision/centre/wall/").status_code == 302


def test_it_answers_an_unchanged_live_poll_with_one_query(client, busy, people, django_assert_max_num_queries):
    client.force_login(people["county_supervisor"])
    stamp = live(client).json()["stamp"]
    # session, user, staff, centre, region (the log-in and its scope) + the one stamp query
    with django_assert_max_num_queries(6):
        reply = live(client, stamp)
    assert reply.status_code == 204


def test_it_bounds_the_queries_of_a_changed_live_poll(client, busy, people, api_client,
                                                      django_assert_max_num_queries):
    client.force_login(people["league_supervisor"])
    stamp = live(client).json()["stamp"]
    post(client, api_client[1], [ev("XL-3", "received", earlier_today(), item_code="ITEM-PLAIN")])
    client.force_login(people["league_supervisor"])
    with django_assert_max_num_queries(16):
        data = live(client, stamp).json()
    assert data["stamp"] != stamp and data["today"]["received"] == 4


def test_it_renders_the_wall_and_the_dashboard(client, busy, people):
    client.force_login(people["league_supervisor"])
    wall = client.get("/supervision/centre/wall/").content.decode()
    assert 'data-mode="wall"' in wall and "echarts.min.js" in wall
    assert "锡林郭勒盟" in client.get("/supervision/centre/").content.decode()


def test_it_finds_cases_by_number_status_level_and_date(client, busy, people):
    client.force_login(people["county_supervisor"])
    found = lambda **q: client.get("/supervision/cases/", q).content.decode()  # noqa: E731
    assert "XL-1" in found(q="XL-1") and "XL-OLD" not in found(q="XL-1")
    assert "XL-OLD" in found(status="overdue") and "XL-2" not in found(status="overdue")
    assert "XL-OLD" in found(level="red")
    assert "XL-OLD" in found(to="2025-10-01") and "XL-1" not in found(to="2025-10-01")
    assert "XL-1" in found(item="ITEM-PLAIN", department="XL-SCJ")


def test_it_shows_a_case_with_its_timeline_clocks_and_replays_it(client, busy, people):
    client.force_login(people["county_supervisor"])
    page = client.get("/supervision/cases/XL-OLD/").content.decode()
    assert "2025-10-14" in page and "2025-11-04" in page  # promised and legal due (DOMAIN.md's example)
    assert "超承诺时限" in page and "规则触发" in page and "raised" not in page
    at = int(datetime(2025, 10, 10, 12, tzinfo=TZ).timestamp())
    replay = client.get("/supervision/cases/XL-OLD/replay/", {"at": at}).content.decode()
    assert "剩余 3 个工作日" in replay and "超承诺时限" not in replay
    assert client.get("/supervision/cases/XL-OLD/replay/", {"at": "2025-10-10T12:00"}).status_code == 400


def test_on_a_day_off_after_its_due_date_a_case_reads_overdue_not_due_today(client, api_client, org, items, people):
    """Due on Friday 4 December 2026, seen on Sunday the 6th: no working day has passed since, so remaining
    is 0 (DOMAIN.md), but the case is late: the clock said "今日到期" and was not marked late."""
    _, key = api_client
    friday = "2026-11-27T09:10:00+08:00"  # 5 working days: due Friday 2026-12-04
    post(client, key, [ev("XL-FRI", "received", friday, item_code="ITEM-PLAIN"), ev("XL-FRI", "accepted", friday, staff="a")])
    client.force_login(people["county_supervisor"])
    clock = lambda day: client.get("/supervision/cases/XL-FRI/replay/", {  # noqa: E731
        "at": int(datetime(2026, 12, day, 12, tzinfo=TZ).timestamp())}).content.decode()
    on_friday, on_sunday = clock(4), clock(6)
    assert "2026-12-04" in on_sunday and "今日到期" in on_friday and 'clock clock--late' not in on_friday
    assert "今日到期" not in on_sunday and "已超期" in on_sunday and 'class="clock clock--late"' in on_sunday
    assert "超期 1 个工作日" in clock(7)  # Monday


def test_it_lists_data_quality_by_department(client, api_client, people):
    _, key = api_client
    post(client, key, [ev("Q-1", "resumed", earlier_today(), )])
    client.force_login(people["league_supervisor"])
    page = client.get("/supervision/centre/quality/").content.decode()
    assert "xl-approval" in page


def test_it_counts_late_arriving_events_in_the_quality_watch(client, api_client, people):
    _, key = api_client
    old = (datetime.now(TZ) - timedelta(days=10)).replace(microsecond=0).isoformat()
    post(client, key, [ev("Q-2", "received", old, item_code="ITEM-PLAIN")])
    client.force_login(people["county_supervisor"])
    page = client.get("/supervision/centre/quality/").content.decode()
    assert "锡林浩特市市场监督管理局" in page


def test_it_filters_alerts_by_rule_region_department_and_date(client, busy, people):
    client.force_login(people["league_supervisor"])
    page = lambda **q: client.get("/supervision/alerts/", q).content.decode()  # noqa: E731
    assert "XL-OLD" in page(rule="LEGAL_OVERDUE", region="152502", department="XL-SCJ")
    assert "XL-OLD" not in page(region="152522")
    assert "XL-OLD" not in page(rule="FEE_UNLISTED")
    assert "XL-OLD" in page(status="active", **{"from": "2025-10-01", "to": "2025-12-31"})
    assert "XL-OLD" not in page(**{"from": "2030-01-01"})


def test_it_shows_a_department_its_alerts_and_the_urges_it_must_answer(client, busy, people):
    client.force_login(people["county_supervisor"])
    alert = Alert.objects.get(subject_key="XL-OLD", rule="OVERDUE")
    client.post("/supervision/alerts/", {"alert": [alert.pk], "demand": "请说明", "answer_days": 3})
    client.force_login(people["manager"])
    page = client.get("/supervision/alerts/", {"status": "all"}).content.decode()
    assert "本部门告警与督办" in page and "待本部门答复的督办单" in page and "请说明" in page
    client.force_login(people["other_manager"])
    assert "请说明" not in client.get("/supervision/alerts/").content.decode()


def test_it_feeds_the_wall_open_alerts_newest_raised_first_and_drops_resolved_ones(client, api_client, people):
    """Alerts recorded in an order other than they were raised come out by raised_at, newest first;
    a DUE_SOON closed by its rule and an alert a supervisor closed are gone from the feed."""
    from alerts.actions import do_change_alerts
    from alerts.models import AlertStatus

    _, key = api_client
    # recorded first, raised latest: overdue since 2025-10-15, legally since 2025-11-05
    post(client, key, [ev("F-NEW", "received", "2025-09-30T09:10:00+08:00", item_code="ITEM-PLAIN"),
                       ev("F-NEW", "accepted", "2025-09-30T09:10:00+08:00", staff="a")])
    # recorded later, raised months earlier
    post(client, key, [ev("F-OLD", "received", "2025-03-03T09:10:00+08:00", item_code="ITEM-PLAIN"),
                       ev("F-OLD", "accepted", "2025-03-03T09:10:00+08:00", staff="a")])
    closed = Alert.objects.get(subject_key="F-OLD", rule="OVERDUE")
    do_change_alerts([closed], to_status=AlertStatus.CLOSED, at=closed.raised_at + timedelta(days=1),
                     actor=people["county_supervisor"], note="已核实")
    assert Alert.objects.get(subject_key="F-NEW", rule="DUE_SOON").status == AlertStatus.CLOSED
    client.force_login(people["county_supervisor"])
    feed = live(client).json()["feed"]
    shown = [(row["subject"], row["rule"]) for row in feed]
    assert shown == [("F-NEW", "LEGAL_OVERDUE"), ("F-NEW", "OVERDUE"), ("F-OLD", "LEGAL_OVERDUE")]
    raised = [row["raised_at"] for row in feed]
    assert raised == sorted(raised, reverse=True)


def test_it_replays_the_whole_case_page_as_it_stood(client, api_client, people):
    """At 12-02 the case was in 审核: the 12-03 审批 and 办结 are not on the timeline, 审批 is not done,
    the alert its approval raised is not there, and the header says 办理中. A record a supervisor made
    later (closing the alert) is not shown at an instant before it."""
    from alerts.actions import do_change_alerts
    from alerts.models import AlertStatus

    _, key = api_client
    day = lambda d, t: f"2025-12-0{d}T{t}:00+08:00"  # noqa: E731
    post(client, key, [
        ev("R-1", "received", day(1, "09:00"), item_code="ITEM-STEPS"), ev("R-1", "accepted", day(1, "09:10"), staff="a"),
        ev("R-1", "step_completed", day(1, "16:00"), step="cb", staff="a"),
        ev("R-1", "step_completed", day(2, "10:00"), step="sh", staff="b"),
        ev("R-1", "step_completed", day(3, "10:00"), step="sp", staff="a"),
        ev("R-1", "completed", day(3, "11:00"), result="approved", staff="a")])
    alert = Alert.objects.get(subject_key="R-1", rule="SAME_HANDLER_APPROVAL")
    do_change_alerts([alert], to_status=AlertStatus.CLOSED, at=datetime(2025, 12, 8, 9, tzinfo=TZ),
                     actor=people["county_supervisor"], note="已核实整改")
    client.force_login(people["county_supervisor"])

    def parts(page):
        html = page.content.decode()
        _, rest = html.split('id="case-tags"', 1)
        tags, rest = rest.split("</div>", 1)
        clocks, grid = rest.split('id="case-grid"', 1)
        return tags, clocks, grid

    tags, clocks, grid = parts(client.get("/supervision/cases/R-1/"))  # now: everything
    assert "已办结" in tags and grid.count("timeline__item timeline__item--") == 6
    assert "一人既承办又审批" in grid and "已核实整改" in grid

    for page in (client.get("/supervision/cases/R-1/", {"at": day(2, "12:00")}),
                 client.get("/supervision/cases/R-1/replay/", {"at": day(2, "12:00")})):
        tags, clocks, grid = parts(page)
        assert "办理中" in tags and "已办结" not in tags
        assert grid.count("timeline__item timeline__item--") == 4
        assert "timeline__item--completed" not in grid and "2025-12-03" not in grid
        assert "一人既承办又审批" not in grid and "一人既承办又审批" not in clocks
        assert clocks.count("已完成") == 2 and "办理中" in clocks  # 承办 and 审核 done, 审批 under way

    tags, clocks, grid = parts(client.get("/supervision/cases/R-1/", {"at": day(4, "12:00")}))
    assert "一人既承办又审批" in grid and "待督办" in grid and "已核实整改" not in grid


def test_the_wall_feed_names_steps_never_their_codes(client, api_client, people, items):
    """The live feed the wall and the dashboard draw (JSON, rendered by script) carries the step's name
    from the power list ("环节超时 · 承办"), not its code ("· cb")."""
    _, key = api_client
    post(client, key, [ev("S-1", "received", "2025-09-30T09:10:00+08:00", item_code="ITEM-STEPS"),
                       ev("S-1", "accepted", "2025-09-30T09:10:00+08:00", staff="a")])
    assert Alert.objects.filter(subject_key="S-1", step="cb").exists()
    client.force_login(people["county_supervisor"])
    feed = live(client).json()["feed"]
    steps = {row["step"] for row in feed if row["subject"] == "S-1"}
    assert "承办" in steps
    assert not steps & {"cb", "sh", "sp"}, steps
