"""The public results page in a real browser: rankings by group, the trend chart drawn by ECharts,
the month picker; on a desktop and a phone."""
from datetime import date

import pytest
from django.utils import timezone

from core.testing.browser import log_in, screenshot
from performance.actions import do_publish_period, do_review_period, do_score_month

from clearwindow.testing.records import alert, case

from .conftest import NOW
from .test_step_indicators import scored  # noqa: F401  (the fixture: a month scored with step figures)

pytestmark = pytest.mark.browser


@pytest.fixture
def months(world):
    alert(world["other_dept"], "red")
    case(world["dept"], late=True)
    for month in (date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)):
        period = do_score_month(month, actor="test", now=NOW)
        do_review_period(period, actor="test")
        do_publish_period(period, actor="test")


def test_it_shows_the_published_rankings_and_the_trend(live_server, new_page, months):
    page = new_page()
    page.goto(live_server.url + "/performance/")
    assert page.locator("h1").inner_text() == "行政效能考核结果公示"
    page.wait_for_selector("#trend-chart svg")
    assert page.locator("#trend-chart svg path").count() > 0
    groups = page.locator(".perf-rank h2").all_inner_texts()
    assert groups == ["盟直部门 · 2026年3月排名", "旗县市区政府 · 2026年3月排名"]
    assert "阿巴嘎旗人民政府" in page.locator(".perf-rank").nth(1).inner_text()
    screenshot(page, "performance-public")
    page.select_option("#p-month", "2026-01")
    page.wait_for_url("**/performance/?month=2026-01")
    assert "2026年1月排名" in page.locator(".perf-rank h2").first.inner_text()
    phone = new_page(width=390)
    phone.goto(live_server.url + "/performance/")
    phone.wait_for_selector("#trend-chart svg")
    screenshot(phone, "performance-public-mobile")


def publish_2025_with_one_case_a_month(world):
    """Every month of 2025 scored, reviewed and published, with one case of world["dept"] a month ended in time."""
    for m in range(1, 13):
        first = date(2025, m, 1)
        case(world["dept"], start=first.replace(day=2), ended=first.replace(day=6), due=first.replace(day=9))
        period = do_score_month(first, actor="test", now=NOW)
        do_review_period(period, actor="test")
        do_publish_period(period, actor="test")


def test_it_shows_no_data_and_not_graded_in_the_year_evaluation_and_the_preview(live_server, new_page, world):
    for m in range(1, 13):
        first = date(2025, m, 1)
        case(world["dept"], start=first.replace(day=2), ended=first.replace(day=6), due=first.replace(day=9))
        if m >= 9:
            case(world["other_dept"], start=first.replace(day=2), ended=first.replace(day=6),
                 due=first.replace(day=9), late=True)
        period = do_score_month(first, actor="test", now=NOW)
        do_review_period(period, actor="test")
        do_publish_period(period, actor="test")
    for width, height in ((1920, 1080), (1440, 900), (390, 844)):
        page = new_page(width=width, height=height)
        page.goto(live_server.url + "/performance/year/2025/")
        row = page.locator("tr", has_text="阿巴嘎旗人民政府")
        assert "不参评" in row.inner_text() and "无数据" in row.inner_text()
        # the table scrolls inside its box on a phone; the page itself never scrolls sideways
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        screenshot(page, f"performance-year-no-data-{width}")
    today = timezone.localdate()
    do_score_month(today.replace(day=1), actor="test")
    page = new_page(width=1440, height=900)
    log_in(page, live_server.url, world["people"]["league_admin"].username, "pw-12345")
    page.goto(live_server.url + f"/office/performance/preview/{today.year}/")
    assert "预览 · 统计期未结束" in page.locator("h1").inner_text()
    screenshot(page, "performance-preview-year")


def test_the_year_evaluation_and_its_preview_fit_their_frame_in_both_languages(live_server, new_page, world):
    """The English year-end evaluation and its preview were reported wider than their frame: at 1440×900 and
    1920×1080, in Chinese and English, no element of either page is wider than its frame, and every column of
    the rankings (twelve months, average, grade, talks) is in view without scrolling the table, and each
    "No data" stays on one line."""
    from core.testing.a11y import cut_off, too_wide

    publish_2025_with_one_case_a_month(world)
    today = timezone.localdate()
    for m in range(1, today.month + 1):  # the preview of the running year: every month so far, the last running
        first = today.replace(month=m, day=1)
        case(world["dept"], start=first.replace(day=2), ended=first.replace(day=4), due=first.replace(day=9))
        do_score_month(first, actor="test")
    for lang in ("zh-hans", "en"):
        for width, height in ((1440, 900), (1920, 1080)):
            page = new_page(width=width, height=height)
            page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
            page.goto(live_server.url + "/performance/year/2025/")
            assert page.locator("tr", has_text="阿巴嘎旗人民政府").count() == 1
            screenshot(page, f"performance-year-{lang}-{width}")
            assert too_wide(page) == [] and cut_off(page) == [], (lang, width, "year")
            assert no_data_on_one_line(page), (lang, width, "year")
            log_in(page, live_server.url, world["people"]["league_admin"].username, "pw-12345")
            page.goto(live_server.url + f"/office/performance/preview/{today.year}/")
            assert page.locator("h1").count() == 1
            screenshot(page, f"performance-preview-year-{lang}-{width}")
            assert too_wide(page) == [] and cut_off(page) == [], (lang, width, "preview")
            assert no_data_on_one_line(page), (lang, width, "preview")


def no_data_on_one_line(page):
    """Each 无数据 / "No data" of a month or the average is one line of text (in English it broke into two)."""
    lines = page.evaluate("""() => [...document.querySelectorAll('.perf-rank td.num .perf-na')].map(e => {
        const r = e.getClientRects(); return r.length === 1 && r[0].height < 1.6 * parseFloat(getComputedStyle(e).fontSize); })""")
    return lines and all(lines)


def test_the_statistics_table_keeps_unit_names_readable_on_a_phone(live_server, new_page, months):
    """On a phone the open statistics table scrolls sideways rather than breaking a unit's name into
    two-character lines: every name cell is at least 8em wide and its name takes at most three lines."""
    page = new_page(width=390, height=844)
    page.goto(live_server.url + "/performance/stats/?year=2026")
    cells = page.locator("td.cw-name")
    assert cells.count() > 0
    for box in cells.evaluate_all("cs => cs.map(c => [c.getBoundingClientRect().width, c.getBoundingClientRect().height,"
                                  " parseFloat(getComputedStyle(c).lineHeight)])"):
        width, height, line = box
        assert width >= 100 and height <= 3 * line + 24, box
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "performance-stats-phone")


def test_a_score_with_step_figures_reads_on_a_phone(live_server, new_page, scored, world):  # noqa: F811
    """The score page on a 390 px phone: the table scrolls sideways inside its frame rather than squeezing
    the indicator's name to two characters a line, and a figure ("1 个工作日") stays on one line."""
    score = scored.scores.get(unit="152502")
    page = new_page(width=390)
    log_in(page, live_server.url, world["people"]["county_supervisor"].username)
    page.goto(f"{live_server.url}/office/performance/score/{score.pk}/")
    names = page.locator(".perf-lines tbody tr td:nth-child(2)")
    assert names.count() == 4
    assert min(box["width"] for box in (names.nth(i).bounding_box() for i in range(4))) >= 150
    days = page.locator(".perf-lines .perf-value", has_text="1 个工作日").first.bounding_box()["height"]
    ratio = page.locator(".perf-lines .perf-value", has_text="3.20").first.bounding_box()["height"]
    assert abs(days - ratio) < 2  # two lines each (the figure, its basis): "1 个工作日" does not wrap
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "performance-score-phone")


def test_the_year_evaluation_reads_on_a_phone(live_server, new_page, world):
    """At 390 px a bulletin's or year evaluation's ranking squeezed each unit's name beside its note (不参评)
    and kept the average and grade out of view: on a phone each unit is a card, its name across the card,
    each month, the average and the grade labelled and on screen; the page is never wider than the screen."""
    publish_2025_with_one_case_a_month(world)
    for lang, labels in (("zh-hans", ("12月", "平均分", "等次")), ("en", ("Dec", "Average score", "Grade"))):
        page = new_page(width=390, height=844)
        page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
        page.goto(live_server.url + "/performance/year/2025/")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        for unit in ("锡林浩特市人民政府", "阿巴嘎旗人民政府"):  # graded; not graded, with its note
            row = page.locator("tr", has_text=unit)
            assert row.locator("td").nth(1).bounding_box()["width"] >= 200  # was 140: a narrow column
            for label in labels:
                cell = row.locator(f'td[data-label="{label}"]')
                box = cell.bounding_box()
                assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, (lang, unit, label, box)
        assert page.locator("tr", has_text="锡林浩特市人民政府").locator(f'td[data-label="{labels[2]}"]').inner_text() in ("良好", "Good")
        screenshot(page, f"performance-year-phone-{lang}")


def test_the_monthly_ranking_reads_on_a_phone(live_server, new_page, months):
    """The month's ranking at 390 px broke 本月无办件等记录，不参加排名 into a column of four characters beside
    a squeezed name: on a phone each unit is a card, rank and name first, then its score and remarks, labelled."""
    page = new_page(width=390, height=844)
    page.goto(live_server.url + "/performance/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    rows = page.locator(".perf-rank tbody tr")
    assert rows.count() > 2
    for row in rows.all()[:6]:
        assert row.locator("td").nth(1).bounding_box()["width"] >= 200  # was 140: a narrow column
        score = row.locator('td[data-label="得分"]').bounding_box()
        assert score["x"] >= 0 and score["x"] + score["width"] <= 390, score
    screenshot(page, "performance-public-phone-ranking")
