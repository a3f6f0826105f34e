"""Where the time goes: step timings from real ingest, the nightly aggregates, and their pages by role."""
from io import BytesIO

import pytest
from openpyxl import load_workbook

from cases.ingest import ingest
from clearwindow.testing.events import ev
from insight.models import StepStat, StepTiming, VariantStat
from insight.ticks import where_tick
from insight.where import aggregate, build

from core import ticks

from .test_forecast import TZ, at


def step(no, kind, code, day, hour="10:00"):
    return ev(no, kind, f"2026-05-{day}T{hour}:00+08:00", step=code, staff="李明")


def seed(api):
    """A: 承办 1 day, waits 2 working days, 审核 3 days against 2 (overdue), 审批. B: 承办 then 审批, 审核 skipped."""
    events = []
    for no in ("A", "B"):
        events += [ev(no, "received", "2026-05-11T09:00:00+08:00", item_code="ITEM-STEPS"),
                   ev(no, "accepted", "2026-05-11T09:10:00+08:00", staff="王芳"),
                   step(no, "step_started", "cb", 11, "09:30"), step(no, "step_completed", "cb", 12)]
    events += [step("A", "step_started", "sh", 14), step("A", "step_completed", "sh", 19, "09:00"),
               step("A", "step_started", "sp", 19, "10:00"), step("A", "step_completed", "sp", 19, "11:00"),
               ev("A", "completed", "2026-05-19T15:00:00+08:00", result="approved", staff="张局长"),
               step("B", "step_started", "sp", 13), step("B", "step_completed", "sp", 13, "11:00"),
               ev("B", "completed", "2026-05-13T15:00:00+08:00", result="approved", staff="张局长")]
    ingest(api, events, now=at("2026-05-20T12:00:00"))
    now = at("2026-05-25T01:00:00")
    assert build(now) == 2
    aggregate(now)


def test_it_times_each_step_against_its_limit_and_the_wait_between_steps(api_client):
    seed(api_client[0])
    sh = StepTiming.objects.get(case__case_no="A", step="sh")
    assert (sh.used_days, sh.limit_days, sh.overdue, sh.wait_days) == (3, 2, True, 2)
    cb = StepTiming.objects.get(case__case_no="A", step="cb")
    assert (cb.used_days, cb.overdue, cb.wait_days) == (1, False, None)
    cell = StepStat.objects.get(period="12m", item__code="ITEM-STEPS", step="sh")
    assert (cell.steps, cell.overdue, cell.median_days, cell.median_wait) == (1, 1, 3, 2)
    assert StepStat.objects.filter(period="2026-05", item__isnull=True, step="cb").get().steps == 2


def test_it_counts_the_variants_and_the_skipped_steps(api_client):
    seed(api_client[0])
    variants = {v.variant: v for v in VariantStat.objects.all()}
    assert variants["cb›sh›sp"].cases == 1 and variants["cb›sp"].cases == 1  # B's 审核 never happened
    assert variants["cb›sp"].skipped == 1 and variants["cb›sh›sp"].skipped == 0


def test_the_heat_maps_show_the_centres_figures_with_a_drill_down(api_client, people, client):
    seed(api_client[0])
    client.force_login(people["county_supervisor"])
    page = client.get("/insight/time/?period=12m&metric=overdue").content.decode()
    assert "审核" in page and "100.0%" in page and "cw-time" in page and "<script>" not in page
    drill = client.get("/insight/time/steps/", {"item": StepStat.objects.filter(item__code="ITEM-STEPS").first().item_id,
                                                 "step": "sh", "period": "12m"}).content.decode()
    assert ">A<" in drill and "3 / 2" in drill and ">B<" not in drill


def test_it_shows_nothing_outside_the_users_jurisdiction(api_client, people, client):
    seed(api_client[0])
    client.force_login(people["other_supervisor"])
    page = client.get("/insight/time/").content.decode()
    assert "审核" not in page and "无数据" in page
    item = StepStat.objects.filter(item__code="ITEM-STEPS").first().item_id
    assert client.get("/insight/time/steps/", {"item": item, "step": "sh"}).status_code == 404
    assert "ITEM-STEPS" not in client.get("/insight/variants/").content.decode()


def test_the_excel_export_has_both_heat_maps_and_the_trend(api_client, people, client):
    seed(api_client[0])
    client.force_login(people["manager"])
    response = client.get("/insight/time/?format=xlsx")
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["事项×环节", "部门×环节", "月度趋势"]
    rows = list(book["部门×环节"].values)
    assert any(r[1] == "审核" and r[9] == 100.0 for r in rows[1:])


def test_the_variants_page_lists_the_sequences_in_step_names(api_client, people, client):
    seed(api_client[0])
    client.force_login(people["county_supervisor"])
    page = client.get("/insight/variants/").content.decode()
    assert "承办" in page and "审批" in page and "50.0%" in page


@pytest.mark.parametrize("url", ["/insight/time/", "/insight/variants/"])
def test_english_pages_speak_english(api_client, people, client, url):
    seed(api_client[0])
    client.force_login(people["county_supervisor"])
    client.cookies["django_language"] = "en"
    page = client.get(url).content.decode()
    assert "Where the time goes" in page and "环节热力图" not in page


def test_the_pages_keep_their_query_count_bounded(api_client, people, client, django_assert_max_num_queries):
    seed(api_client[0])
    client.force_login(people["league_supervisor"])
    for url in ("/insight/time/", "/insight/variants/"):
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200


def test_the_tick_rebuilds_only_what_changed_and_aggregates_nightly(api_client):
    from datetime import datetime, timedelta
    seed(api_client[0])
    first = (datetime.now(TZ) + timedelta(days=1)).replace(hour=1, minute=0)  # after every case row's updated_at
    assert ticks.registered()["insight.where"] is where_tick
    assert where_tick(first) == 2  # never built by the tick: every case
    assert where_tick(first + timedelta(minutes=20)) == 0  # nothing changed since
    StepStat.objects.all().delete()
    assert where_tick(first + timedelta(days=1)) == 0 and StepStat.objects.exists()  # a new night: aggregated


def test_a_quantile_of_a_histogram_is_the_quantile_of_its_values():
    """The nightly cells add up histograms (value → steps) and take their quantiles: the same numbers,
    to the last bit, as the quantile of the values themselves (numpy's and percentile_cont's interpolation)."""
    import random
    from collections import Counter

    from insight.timing import quantile, quantile_of_counts

    rng = random.Random(3)
    for _ in range(300):
        values = [rng.choice([0, 1, 2, 3, 5, 8, 0.5, 1 / 3, 2 / 7]) for _ in range(rng.randrange(1, 40))]
        for q in (0.1, 0.5, 0.9):
            assert quantile_of_counts(Counter(values), q) == quantile(values, q)
    assert quantile_of_counts(Counter(), 0.5) is None


def test_every_cell_is_the_figures_of_its_timings_counted_one_by_one(db):
    """The nightly cells come from one grouped pass over the timings (by month, item, step, limit, days used
    and wait) whose histograms are added up per cell: each figure equals the one computed from the cell's
    own timings, one by one, as the issue defines it (median and p90 of the completed steps' days and
    share of the limit, the usual limit, overdue, the median wait, suspension and supplement counts)."""
    import random
    from collections import Counter
    from datetime import timedelta

    from django.utils import timezone

    from insight.timing import quantile
    from insight.where import MONTHS, YEAR

    rng = random.Random(7)
    now = at("2026-05-25T01:00:00")
    today = timezone.localtime(now, TZ).date()
    places = {10: (1, "R1"), 11: (1, "R1"), 12: (2, "R2")}
    timings = []
    for i in range(900):
        item = rng.choice([10, 11, 12])
        dept, region = places[item]
        if item == 11 and rng.random() < 0.2:
            dept = 2  # an item's case in another department
        step = rng.choice(["a", "b"])
        start = today - timedelta(days=rng.randrange(0, 420))
        used, limit = rng.choice([0, 1, 1, 2, 2, 3, 5, 8]), rng.choice([2, 2, 3, 0])
        done = rng.random() < 0.85
        timings.append(StepTiming(
            case_id=i + 1, item_id=item, department_id=dept, region_id=region, step=step,
            step_name=rng.choice(["handle", "handle", "handle-2"]) if step == "a" else "review",
            position=rng.choice([0, 1]) if step == "a" else 1, started_on=start,
            completed_on=start + timedelta(days=used) if done else None, used_days=used, limit_days=limit,
            overdue=used > limit, wait_days=rng.choice([None, 0, 1, 1, 2, 4]), suspended=rng.random() < 0.2,
            supplemented=rng.random() < 0.3))
    StepTiming.objects.bulk_create(timings)
    aggregate(now)

    first_month = (today.replace(day=1) - timedelta(days=31 * (MONTHS - 1))).replace(day=1)

    def periods(t):
        found = [StepStat.LAST_YEAR] if t.started_on > today - YEAR else []
        if t.started_on >= first_month:
            found.append(f"{t.started_on.year:04d}-{t.started_on.month:02d}")
        return found

    expected = {}
    for t in timings:
        for period in periods(t):
            for item in (t.item_id, None):
                expected.setdefault((period, t.department_id, t.region_id, item, t.step), []).append(t)
    cells = {(c.period, c.department_id, c.region_id, c.item_id, c.step): c for c in StepStat.objects.all()}
    assert set(cells) == set(expected) and len(cells) > 100
    for key, rows in expected.items():
        done = [t for t in rows if t.completed_on is not None]
        waits = [t.wait_days for t in rows if t.wait_days is not None]
        limits = Counter(t.limit_days for t in rows)
        c = cells[key]
        assert (c.steps, c.completed, c.overdue, c.suspended, c.supplemented, c.waits) == (
            len(rows), len(done), sum(t.overdue for t in rows), sum(t.suspended for t in rows),
            sum(t.supplemented for t in rows), len(waits)), key
        assert (c.median_days, c.p90_days) == (quantile([t.used_days for t in done], 0.5),
                                               quantile([t.used_days for t in done], 0.9)), key
        shares = [t.used_days / max(t.limit_days, 1) for t in done]
        assert (c.median_share, c.p90_share) == (quantile(shares, 0.5), quantile(shares, 0.9)), key
        assert c.median_wait == quantile(waits, 0.5), key
        assert c.limit_days == min(limits, key=lambda v: (-limits[v], v)), key  # the most common, then the least
        assert (c.step_name, c.position) == (min(t.step_name for t in rows), min(t.position for t in rows)), key
