"""Accessibility and the English edition in a real Chromium, on the demo region with a few days of
history: axe-core finds no serious or critical WCAG 2.1 AA violation on the public pages and the main
back-office pages in both languages, and no element is wider than its frame at 1440×900 and 1920×1080.
Screenshots go to test-artifacts/a11y-*.png. See docs/accessibility.md."""
import re

import pytest
from django.core.management import call_command

from clearwindow.testing.calendar import days_holding_workdays
from core.templatetags.cw import HAN
from core.testing.a11y import (axe_needs_review, axe_violations, background_of, contrast, fullwidth_punctuation,
                               low_contrast_text, style_of, text_contrasts, too_wide, unmarked_chinese)
from core.testing.browser import log_in, screenshot
from demo.setup import demo_password

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC = ["/", "/guide/", "/track/", "/complaints/new/", "/complaints/consult/", "/complaints/track/",
          "/complaints/faq/", "/evaluations/", "/evaluations/satisfaction/", "/performance/", "/accounts/login/",
          "/ledger/"]
OFFICE = ["/home/", "/cases/workbench/", "/supervision/centre/", "/supervision/alerts/", "/supervision/urges/",
          "/supervision/cases/", "/office/complaints/", "/office/complaints/analysis/", "/office/consultations/",
          "/office/evaluations/", "/office/evaluations/ratings/", "/office/evaluations/statistics/", "/video/",
          "/video/observations/", "/office/performance/", "/accountability/", "/supervision/likely/",
          "/insight/time/", "/insight/variants/", "/supervision/centre/wall/"]


@pytest.fixture
def demo(db):
    call_command("demo_setup", "--history-days", str(days_holding_workdays(3)), verbosity=0)


def set_language(page, base, lang):
    page.goto(base + "/")
    page.locator(f".langswitch button[value={lang}]").click()
    page.wait_for_load_state()


# axe's "needs review" results accepted, each for the reason written in docs/accessibility.md; any other rule
# fails the test, as a violation does.
NEEDS_REVIEW_ACCEPTED = {
    # text over a gradient (the site header's name and motto on #fff → #f4f8fe, the wall's gradient-filled
    # title), next to a pseudo-element (the wall's clock) or one character long (the 监 logo): axe cannot
    # compute the background. low_contrast_text measures these on every page of the run instead.
    "color-contrast": "gradient, pseudo-element or one-character text: measured by low_contrast_text",
    # the wall's <video>s are silent surveillance streams (the recorder keeps no audio, docs/video.md):
    # captions (WCAG 1.2.2) apply to synchronised media with sound
    "video-caption": "no audio track",
}


def unaccepted_reviews(page):
    return [r for r in axe_needs_review(page) if r[0] not in NEEDS_REVIEW_ACCEPTED]


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_it_has_no_serious_axe_violation_and_nothing_too_wide(live_server, new_page, demo, lang):
    base = live_server.url
    problems = {}

    def check(page, path, width):
        page.goto(base + path)
        if width == 1440:
            problems.update({f"{path} axe": v for v in [axe_violations(page)] if v})
            # every visible text, over gradients too (axe leaves those "needs review")
            problems.update({f"{path} contrast": v for v in [low_contrast_text(page)] if v})
            problems.update({f"{path} axe needs review": v for v in [unaccepted_reviews(page)] if v})
            screenshot(page, f"a11y-{lang}{path.replace('/', '-')}")
            if lang == "en":  # "Run by：", "Workbench（…）": Chinese punctuation only inside Chinese data
                problems.update({f"{path} full-width punctuation": v for v in [fullwidth_punctuation(page)] if v})
        problems.update({f"{path} wide@{width}": v for v in [too_wide(page)] if v})

    for width, height in [(1440, 900), (1920, 1080)]:
        page = new_page(width, height)
        set_language(page, base, lang)
        for path in PUBLIC:
            check(page, path, width)
        log_in(page, base, "league_supervisor", demo_password())
        for path in OFFICE:
            check(page, path, width)
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())


# --- contrast, measured from the computed styles of the real pages --------------------------------

def ring_contrast(page, selector):
    """Focus `selector` by keyboard-like focus and return (outline width px, its contrast with the
    background it sits on)."""
    el = page.locator(selector).first
    el.focus()
    width, colour, offset = style_of(el, "outline-width", "outline-color", "outline-offset")
    # the ring is drawn outside the element (offset ≥ 0): it sits on the parent's background
    behind = background_of(el.locator("xpath=.."))
    return float(width.rstrip("px") or 0), contrast(colour, behind), float(offset.rstrip("px") or 0)


def test_it_meets_the_contrast_minimums_measured_from_computed_styles(live_server, new_page, demo, settings):
    base = live_server.url
    page = new_page(1440, 900)
    page.goto(base + "/complaints/new/")
    field = page.locator("#id_subject")
    border, = style_of(field, "border-top-color")
    assert contrast(border, "rgb(255, 255, 255)") >= 3, border                     # field border on white
    assert contrast(border, style_of(page.locator("body"), "background-color")[0]) >= 3  # … and on the page
    page.keyboard.press("Tab")  # keyboard modality, so :focus-visible applies as for a keyboard user
    width, ratio, _ = ring_contrast(page, "#id_subject")
    assert width >= 2 and ratio >= 3, (width, ratio)                              # a text field: a 2px ring
    width, ratio, _ = ring_contrast(page, "main button[type=submit]")
    assert width >= 2 and ratio >= 3, (width, ratio)
    assert contrast(style_of(page.locator("body"), "background-color")[0], page.evaluate(
        "() => getComputedStyle(document.querySelector('main button[type=submit]')).outlineColor")) >= 3
    width, ratio, _ = ring_contrast(page, ".mainnav__list a")                      # links on the dark bar
    assert width >= 2 and ratio >= 3, (width, ratio)

    # the site header: its name and motto over the masthead's gradient, against its darkest and its lightest
    # stop (#fff → #f4f8fe), and every text of the header measured the same way
    stops = page.evaluate("() => getComputedStyle(document.querySelector('.masthead')).backgroundImage"
                          ".match(/rgba?\\([^)]*\\)/g)")
    assert len(stops) == 2, stops
    for selector in [".brand__name", ".brand__motto"]:
        colour, = style_of(page.locator(selector), "color")
        assert min(contrast(colour, stop) for stop in stops) >= 4.5, (selector, colour, stops)
    measured = dict((text, ratio) for text, ratio, _, _ in text_contrasts(page, "header.masthead"))
    assert len(measured) == 3 and min(measured.values()) >= 3, measured   # the 28 px bold 监 logo: large text
    assert not low_contrast_text(page, "header.masthead"), low_contrast_text(page, "header.masthead")

    log_in(page, base, "league_supervisor", demo_password())
    page.goto(base + "/supervision/centre/")
    for selector in [".level--yellow strong", ".level--red strong", ".level--notice strong"]:
        el = page.locator(selector)
        colour, size = style_of(el, "color", "font-size")
        assert contrast(colour, background_of(el)) >= 4.5, (selector, colour)     # whatever its size
    page.goto(base + "/supervision/alerts/")
    badges = page.locator(".lv, .tag")
    for i in range(min(badges.count(), 30)):
        el = badges.nth(i)
        colour, = style_of(el, "color")
        assert contrast(colour, background_of(el)) >= 4.5, (el.inner_text(), colour)


# --- keyboard only: Tab, Shift+Tab, Enter, Space and arrow keys, never the mouse ------------------

def tab_to(page, selector, limit=80):
    """Press Tab until the focused element matches `selector`; fails if it is never reached."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with Tab")


def submit_with_enter(page):
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_it_files_a_complaint_and_tracks_a_case_with_the_keyboard_only(live_server, new_page, demo, settings):
    settings.COMPLAINTS_MIN_FORM_SECONDS = 0
    base = live_server.url
    page = new_page(1366, 900)
    page.goto(base + "/complaints/new/")
    tab_to(page, "#id_category")
    page.keyboard.press("ArrowDown")
    tab_to(page, "#id_subject")
    page.keyboard.type("窗口人员态度差")
    tab_to(page, "#id_content")
    page.keyboard.type("上午在窗口办理时工作人员多次离岗，等候一个多小时。")
    tab_to(page, "#id_anonymous")
    page.keyboard.press("Space")                                                  # a checkbox: Space
    assert page.locator("#id_anonymous").is_checked()
    tab_to(page, "main button[type=submit]")
    submit_with_enter(page)
    assert page.locator("[data-field=number]").inner_text().startswith("TS")

    from cases.models import Case
    case = Case.objects.exclude(check_code="").first()
    page.goto(base + "/track/")
    page.keyboard.press("Tab")                                                    # the skip link first
    assert page.evaluate("() => document.activeElement.matches('.skip-link')")
    page.keyboard.press("Enter")
    tab_to(page, "#id_case_no", limit=5)        # right after the skip link's target: the lookup form
    page.keyboard.type(case.case_no)
    tab_to(page, "#id_check_code", limit=3)
    page.keyboard.type(case.check_code)
    submit_with_enter(page)
    assert case.case_no in page.locator("main").inner_text()
    assert page.locator(".track-result").count() == 1


def test_it_rates_a_service_and_answers_an_urge_with_the_keyboard_only(live_server, new_page, demo):
    from alerts.models import Alert, AlertStatus
    from cases.models import Case
    from core.roles import Role
    from django.contrib.auth import get_user_model
    from orgs.models import Centre, Staff
    from supervision.actions import do_issue_urges

    base = live_server.url
    unrated = Case.objects.exclude(check_code="").filter(ratings__isnull=True).order_by("case_no")
    case = unrated.filter(status="completed").first() or unrated.first()
    page = new_page(1366, 900)
    page.goto(base + "/evaluations/")
    tab_to(page, "#case_no")
    page.keyboard.type(case.case_no)
    tab_to(page, "#code", limit=3)
    page.keyboard.type(case.check_code)
    submit_with_enter(page)
    tab_to(page, "input[name=level]")
    page.keyboard.press("ArrowRight")                                             # radios: arrows, then Space
    page.keyboard.press("Space")
    assert page.locator("input[name=level]:checked").count() == 1
    tab_to(page, "main form button[type=submit]")
    submit_with_enter(page)
    assert page.locator(".message--success, [role=status], .notice").count() >= 1, page.locator("main").inner_text()[:300]

    alert = Alert.objects.filter(status=AlertStatus.OPEN, department__isnull=False).first()
    centre = Centre.objects.get(region_id="152500")
    supervisor = get_user_model().objects.get(username="league_supervisor")
    urge, = do_issue_urges([alert], centre=centre, actor=supervisor, demand="请说明原因并整改")
    user = get_user_model().objects.create_user("kb_manager", password="pw-12345")
    Staff.objects.create(user=user, code="kb_manager", name="键盘用户", role=Role.DEPT_MANAGER, department=alert.department)
    log_in(page, base, "kb_manager")
    page.goto(base + f"/supervision/urges/{urge.number}/")
    tab_to(page, "textarea#text")
    page.keyboard.type("窗口人员不足，已调整排班并补办。")
    tab_to(page, "main form button[type=submit]", limit=5)
    submit_with_enter(page)
    urge.refresh_from_db()
    assert urge.answer.startswith("窗口人员不足")


# --- large text and the phone ------------------------------------------------------------------

def test_it_offers_a_large_text_mode_kept_in_a_cookie_that_keeps_layouts(live_server, new_page, demo):
    base = live_server.url
    page = new_page(1440, 900)
    page.goto(base + "/")
    before = page.locator(".hero__title").bounding_box()["height"]
    tab_to(page, "[data-text-size]")
    page.keyboard.press("Enter")
    assert page.locator("[data-text-size]").get_attribute("aria-pressed") == "true"
    for path in PUBLIC:
        page.goto(base + path)                                                    # kept across pages (cookie)
        assert page.locator("html.text-large").count() == 1, path
        assert page.evaluate("() => parseFloat(getComputedStyle(document.body).zoom)") >= 1.5
        assert not too_wide(page), (path, too_wide(page))
    screenshot(page, "a11y-large-text-login")
    page.goto(base + "/")
    assert page.locator(".hero__title").bounding_box()["height"] >= 1.5 * before - 1
    screenshot(page, "a11y-large-text-portal")
    page.locator("[data-text-size]").click()
    page.reload()
    assert page.locator("html.text-large").count() == 0


# back-office pages a supervisor opens on a phone (the two walls: test_the_supervision_wall_and_the_video_wall_read_on_a_phone)
PHONE_OFFICE = ["/home/", "/supervision/centre/", "/supervision/alerts/", "/supervision/urges/", "/office/complaints/",
                "/video/", "/office/performance/"]


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_it_stays_usable_on_a_phone(live_server, new_page, demo, lang):
    base = live_server.url
    page = new_page(390, 844)
    set_language(page, base, lang)
    for path in PUBLIC:
        page.goto(base + path)
        assert not too_wide(page, tables_may_scroll=True), (path, too_wide(page, tables_may_scroll=True))
    screenshot(page, f"a11y-{lang}-phone-login")
    log_in(page, base, "league_supervisor", demo_password())
    for path in PHONE_OFFICE:   # the video wall's buttons once ran 130 px off a phone's screen
        page.goto(base + path)
        assert not too_wide(page, tables_may_scroll=True), (path, too_wide(page, tables_may_scroll=True))
    page.goto(base + "/complaints/new/")
    screenshot(page, f"a11y-{lang}-phone-complaint")


# Pairs of boxes inside one tile that cover each other (a label over a count, a caption over the "no signal"
# message, a caption cut by its tile's edge): [(tile's text, what, what)].
OVERLAPS_JS = """([tileSel, partSels]) => {
    const out = [], hit = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
    for (const tile of document.querySelectorAll(tileSel)) {
        const t = tile.getBoundingClientRect();
        const parts = partSels.map(s => [s, tile.querySelector(s)]).filter(p => p[1] && p[1].getClientRects().length)
                              .map(([s, el]) => [s, el.getBoundingClientRect()]);
        for (const [s, r] of parts) {
            if (r.left < t.left - 1 || r.right > t.right + 1 || r.top < t.top - 1 || r.bottom > t.bottom + 1)
                out.push([tile.innerText.slice(0, 20), s, 'outside its tile']);
        }
        for (let i = 0; i < parts.length; i++) for (let j = i + 1; j < parts.length; j++)
            if (hit(parts[i][1], parts[j][1])) out.push([tile.innerText.slice(0, 20), parts[i][0], parts[j][0]]);
    }
    return out.slice(0, 10);
}"""
SMALLEST_TEXT_JS = """(sel) => Math.min(...[...document.querySelectorAll(sel)].map(e => parseFloat(getComputedStyle(e).fontSize)))"""


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_the_supervision_wall_and_the_video_wall_read_on_a_phone(live_server, new_page, demo, lang):
    """The 1920 px wall and the 16-tile video wall on a 390×844 phone (a mobile browser, which honours the
    page's viewport): laid out at the phone's width, nothing wider than the screen, the wall's panels one
    under the other at full width with their headings on one line, labels of at least 13 px, and no label
    over another label, count or message inside a tile."""
    base = live_server.url
    page = new_page(390, 844, is_mobile=True, has_touch=True)
    set_language(page, base, lang)
    log_in(page, base, "league_supervisor", demo_password())
    page.goto(base + "/supervision/centre/wall/")
    page.wait_for_selector(".tiles .tile")
    assert page.evaluate("innerWidth") == 390        # not drawn at 1920 px and zoomed out to a fifth
    assert not too_wide(page), too_wide(page)
    boxes = page.evaluate("() => [...document.querySelectorAll('.wall__main > .wbox')].map(b => b.getBoundingClientRect())"
                          ".map(r => [r.left, r.top, r.width, r.bottom])")
    assert len(boxes) == 3 and all(w >= 360 for _, _, w, _ in boxes), boxes
    assert boxes[0][3] <= boxes[1][1] and boxes[1][3] <= boxes[2][1], boxes      # stacked, not side by side
    heads = page.evaluate("() => [...document.querySelectorAll('.wbox h2')].map(h => [h.innerText, h.getBoundingClientRect().height,"
                          " parseFloat(getComputedStyle(h).lineHeight) || parseFloat(getComputedStyle(h).fontSize) * 1.3])")
    assert all(height <= 2.2 * line for _, height, line in heads), heads         # no heading one character a line
    assert page.evaluate(SMALLEST_TEXT_JS, ".wk span, .wk em, .tile__name, .tile__big small, .tile__late, .tile__lv") >= 13
    assert page.evaluate(OVERLAPS_JS, [".tiles .tile", [".tile__name", ".tile__big", ".tile__late", ".tile__lv"]]) == []
    assert page.evaluate(OVERLAPS_JS, [".wk", ["span", "strong", "em"]]) == []
    screenshot(page, f"a11y-{lang}-phone-wall")
    page.goto(base + "/video/?view=full&layout=16")
    page.wait_for_selector(".vtile")
    assert page.locator(".vtile").count() == 16
    assert not too_wide(page), too_wide(page)
    assert page.evaluate(OVERLAPS_JS, [".vtile", [".vtile__msg", ".vtile__point", ".vtile__hall"]]) == []
    assert page.evaluate(SMALLEST_TEXT_JS, ".vtile__point, .vtile__hall") >= 12
    screenshot(page, f"a11y-{lang}-phone-video-wall-16")
    page.close()  # the video wall keeps polling: stopped before the database is flushed (torn down before new_page)


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_the_urge_list_keeps_each_number_and_status_on_one_line(live_server, new_page, demo, lang):
    """The urge list at 1440 and 1920 px: "DB20261204-0023" broke after its dash and 督办中 into 督办 / 中."""
    base = live_server.url
    for width, height in ((1440, 900), (1920, 1080)):
        page = new_page(width, height)
        set_language(page, base, lang)
        log_in(page, base, "league_supervisor", demo_password())
        page.goto(base + "/supervision/urges/")
        lines = page.evaluate("""() => [...document.querySelectorAll('main tbody tr')].filter(r => r.cells.length > 1)
            .map(r => [r.cells[0].querySelector('a'), r.cells[r.cells.length - 1].querySelector('.nowrap')]
            .map(e => e.getClientRects().length === 1 && e.getBoundingClientRect().height < 1.8 * parseFloat(getComputedStyle(e).fontSize) * 1.5))""")
        assert lines and all(all(row) for row in lines), (width, lines)
        assert not too_wide(page), too_wide(page)


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_the_case_and_rating_lists_keep_each_case_number_on_one_line(live_server, new_page, demo, lang):
    """"152501-20261204-000007" broke at its dashes over three lines in the case and rating lists (and a
    staff name in the rating list's narrow column, 朱振 / 宇). At 1440 and
    1920 px the pages still fit their frames; at 390 px the table scrolls inside its wrapper, not the page."""
    base = live_server.url
    cells = {"/supervision/cases/": "main tbody td:first-child a.code",   # and the rating list's staff names ("朱振 / 宇")
             "/office/evaluations/ratings/": "main tbody td:nth-child(2) .code, main tbody td:nth-child(7) > .nowrap"}
    for width, height in ((1440, 900), (1920, 1080), (390, 844)):
        page = new_page(width, height)
        set_language(page, base, lang)
        log_in(page, base, "league_supervisor", demo_password())
        for path, sel in cells.items():
            page.goto(base + path)
            numbers = page.evaluate("""(sel) => [...document.querySelectorAll(sel)].map(e =>
                [e.innerText, e.getClientRects().length, e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).fontSize)])""", sel)
            assert numbers and all(n == 1 and h < 2 for _, n, h in numbers), (path, width, numbers)
            assert not too_wide(page, tables_may_scroll=width < 500), (path, width, too_wide(page, tables_may_scroll=width < 500))
            screenshot(page, f"a11y-{lang}-{width}-{path.strip('/').replace('/', '-')}")


# --- the English edition: Chinese data is marked, titles are English ---------------------------

GLOSS = re.compile(r"^[A-Za-z].*\([^()]*[\u3400-\u9fff][^()]*\)$")
MARKED = ["/", "/office/complaints/", "/office/evaluations/statistics/", "/supervision/centre/wall/"]


def test_it_marks_chinese_data_in_english_pages_and_keeps_titles_english(live_server, new_page, demo):
    base = live_server.url
    page = new_page(1920, 1080)
    set_language(page, base, "en")
    log_in(page, base, "league_supervisor", demo_password())
    for path in MARKED:
        page.goto(base + path)
        page.locator("main").first.wait_for()
        # left for later (docs/accessibility.md): options of data drop-downs, and Chinese glosses that the English
        # translations carry on purpose ("Graft (吃拿卡要)")
        unmarked = [t for t in unmarked_chinese(page) if not t[1].startswith("option") and not GLOSS.search(t[0])]
        assert not unmarked, (path, unmarked)
    # the wall (the last page): each tile's counts are named in words, not only by a dot's colour
    named = page.locator(".tile .tile__lv .visually-hidden").all_text_contents()
    assert len(named) == 3 * page.locator(".tile").count() and all(t.strip() and not HAN.search(t) for t in named), named
    font = page.evaluate("() => getComputedStyle(document.body).fontFamily")       # the wall's --font is set
    assert font.endswith("sans-serif") and "Noto Sans" in font, font
    zh_font = page.evaluate("() => getComputedStyle(document.querySelector('.tile__name [lang=zh-CN]')).fontFamily")
    assert zh_font.startswith('"Noto Sans CJK SC"'), zh_font
    for path in PUBLIC + ["/home/", "/supervision/alerts/", "/video/"]:
        page.goto(base + path)
        title = page.title()
        assert not HAN.search(title), (path, title)
        assert path == "/" or " - " in title or " · " in title, (path, title)  # the home page: the product name alone
