"""Accessibility checks for the browser tests: axe-core (the npm package, from frontend/node_modules,
never a CDN), WCAG contrast from computed styles, and elements wider than their frame.

axe is put into the page with page.evaluate (the DevTools protocol is not bound by the
Content-Security-Policy, which refuses an inline <script>), so the pages are checked under the real CSP.
"""
import os
import re
from pathlib import Path

import pytest

AXE_JS = Path(os.environ.get("AXE_CORE_JS") or
              Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js")
SERIOUS = {"serious", "critical"}


def axe_source():
    if not AXE_JS.exists():
        pytest.skip(f"{AXE_JS} is missing: bin/setup installs axe-core from frontend/package.json")
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page, impacts=SERIOUS):
    """axe-core's WCAG 2.1 A/AA violations of the page as it is now, those of the given impacts:
    [(rule id, impact, [target selectors …])]."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                                           resultTypes: ['violations']});
        return r.violations.map(v => [v.id, v.impact, v.nodes.slice(0, 5).map(n => n.target.join(' '))]);
    }""")
    return [v for v in result if v[1] in impacts]


def axe_needs_review(page):
    """axe-core's "needs review" (incomplete) results of the page: checks axe could not decide, e.g. the
    contrast of text over a gradient. [(rule id, [(target, axe's reason)] …)]: the browser tests accept only
    the rules listed with a reason in docs/accessibility.md."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    return page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                                           resultTypes: ['incomplete']});
        return r.incomplete.map(v => [v.id, v.nodes.slice(0, 3).map(n => [n.target.join(' '),
            ((n.any[0] || n.all[0] || n.none[0] || {}).message || '').slice(0, 140)])]);
    }""")


# --- WCAG 2.1 relative luminance and contrast ratio (https://www.w3.org/TR/WCAG21/#dfn-relative-luminance)

def parse_rgb(css):
    """'rgb(1, 2, 3)' or 'rgba(1, 2, 3, 0.5)' → (r, g, b, alpha)."""
    parts = [float(p) for p in re.findall(r"[\d.]+", css)]
    return (*parts[:3], parts[3] if len(parts) > 3 else 1.0)


def luminance(rgb):
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    """The contrast ratio of two colours (CSS strings or tuples), 1 … 21."""
    la, lb = (luminance(parse_rgb(c) if isinstance(c, str) else c) for c in (a, b))
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


# The colours behind an element: the first ancestor (or itself) with an opaque background.
BACKGROUND_JS = """el => {
    for (let e = el; e; e = e.parentElement) {
        const c = getComputedStyle(e).backgroundColor;
        const m = c.match(/[\\d.]+/g);
        if (m && (m.length < 4 || parseFloat(m[3]) > 0.99)) return c;
    }
    return 'rgb(255, 255, 255)';
}"""


def background_of(locator):
    return locator.evaluate(BACKGROUND_JS)


def style_of(locator, *properties):
    return locator.evaluate("(el, ps) => { const s = getComputedStyle(el); return ps.map(p => s.getPropertyValue(p)); }",
                            list(properties))


# Elements wider than the frame they sit in: the page wider than the window, or a box that sticks out
# of its positioned/overflowing parent. Returns [(selector-ish, its width, the frame's width)].
OVERFLOW_JS = """(scrollersOk) => {
    const out = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > innerWidth + 1) out.push(['page', doc.scrollWidth, innerWidth]);
    const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                      (e.classList.length ? '.' + [...e.classList].join('.') : '');
    for (const el of document.querySelectorAll('main *, .wall *, header *, nav *')) {
        const r = el.getBoundingClientRect();
        if (r.width <= 2 || el.closest('.visually-hidden, [hidden], .skip-link, .cw-hp')) continue;
        const frame = el.parentElement;
        if (!frame) continue;
        // a table in a scrolling wrapper counts too (its end is out of view), except where allowed: on a
        // phone, data tables may scroll sideways (WCAG 1.4.10 exempts them from reflow)
        if (scrollersOk && el.closest('.table-wrap')) continue;
        const f = frame.getBoundingClientRect();
        // a box that clips or scrolls (a .table-wrap) is the frame itself: what runs past its edge is cut off
        const clips = getComputedStyle(frame).overflowX !== 'visible';
        if (clips && (r.right > f.right + 1 || r.left < f.left - 1)) out.push([name(el), Math.round(r.width), Math.round(f.width)]);
        else if (r.right > Math.max(f.right, innerWidth) + 1 || r.left < Math.min(f.left, 0) - 1) out.push([name(el), Math.round(r.width), Math.round(f.width)]);
        else if (r.right > innerWidth + 1) out.push([name(el), Math.round(r.right), innerWidth]);
    }
    return out.slice(0, 10);
}"""


def too_wide(page, tables_may_scroll=False):
    return page.evaluate(OVERFLOW_JS, tables_may_scroll)


# Text with Chinese characters whose nearest lang attribute is not Chinese (on an English page: Chinese
# data that a screen reader would read with English rules). Returns up to 10 [(text, tag.class)].
UNMARKED_CHINESE_JS = """() => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n && out.length < 10; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!/[\\u3400-\\u9fff]/.test(n.data) || el.closest('script, style, template, [hidden]')) continue;
        const lang = (el.closest('[lang]') || document.documentElement).getAttribute('lang') || '';
        if (!lang.toLowerCase().startsWith('zh')) out.push([n.data.trim().slice(0, 30), el.tagName.toLowerCase() + '.' + [...el.classList].join('.')]);
    }
    return out;
}"""


def unmarked_chinese(page):
    return page.evaluate(UNMARKED_CHINESE_JS)


# Chinese (full-width) punctuation belongs to Chinese text: on an English page it may appear only inside
# Chinese data (an element whose lang is Chinese). "“" and "”" are English quotation marks too.
FULLWIDTH = "：（），；。、！？【】《》"
FULLWIDTH_JS = """(marks) => {
    const out = [], re = new RegExp('[' + marks + ']');
    if (re.test(document.title)) out.push([document.title.slice(0, 60), 'title']);
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n && out.length < 10; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!re.test(n.data) || el.closest('script, style, template')) continue;
        const lang = (el.closest('[lang]') || document.documentElement).getAttribute('lang') || '';
        if (!lang.toLowerCase().startsWith('zh')) out.push([n.data.trim().slice(0, 60), el.tagName.toLowerCase() + '.' + [...el.classList].join('.')]);
    }
    return out;
}"""


def fullwidth_punctuation(page):
    """Text outside Chinese-marked elements (and the title) with full-width punctuation: [(text, tag.class)]."""
    return page.evaluate(FULLWIDTH_JS, FULLWIDTH)


# Every piece of visible text against the background it sits on. Walking up from the text's element, each
# background layer is kept in paint order: every gradient of a background-image (its colour stops, with their
# alpha: "transparent" is rgba(0, 0, 0, 0)) and a translucent background colour, down to the first opaque
# background colour or fully opaque gradient. Text filled with a gradient (background-clip: text, its colour
# transparent) takes the gradient's stops as its colours. A raster image behind text is not seen (axe lists
# those as "needs review"). Returns [(text, [text colours], [layers, nearest first], base, px, bold, opacity)].
TEXT_COLOURS_JS = r"""(root) => {
    const out = [], seen = new Set();
    const GRADIENT = /(?:repeating-)?(?:linear|radial|conic)-gradient\((?:[^()]|\([^()]*\))*\)/g, STOP = /rgba?\([^)]*\)/g;
    const alpha = c => { const m = c.match(/[\d.]+/g); return m && m.length > 3 ? parseFloat(m[3]) : 1; };
    const walker = document.createTreeWalker(document.querySelector(root), NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!n.data.trim() || seen.has(el) || el.closest('script, style, template, [hidden], .visually-hidden')) continue;
        seen.add(el);
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        let opacity = 1, base = null, textStops = null;
        const layers = [];
        for (let e = el; e; e = e.parentElement) {
            const s = getComputedStyle(e);
            opacity *= parseFloat(s.opacity);
            if (base) continue;
            const gradients = (s.backgroundImage.match(GRADIENT) || []).map(g => g.match(STOP) || []);
            if (gradients.length && (s.backgroundClip === 'text' || s.webkitBackgroundClip === 'text')) {
                if (!textStops && alpha(getComputedStyle(el).color) === 0) textStops = gradients.flat();
                continue;
            }
            for (const stops of gradients) {
                layers.push(stops);
                if (!base && stops.length && stops.every(c => alpha(c) > 0.99)) base = stops[0];
            }
            if (base) continue;
            const a = alpha(s.backgroundColor);
            if (a > 0.99) base = s.backgroundColor;
            else if (a > 0) layers.push([s.backgroundColor]);
        }
        const s = getComputedStyle(el);
        out.push([n.data.trim().slice(0, 30), textStops || [s.color], layers, base || 'rgb(255, 255, 255)',
                  parseFloat(s.fontSize), parseInt(s.fontWeight) >= 700, opacity]);
    }
    return out;
}"""


def _over(top, under):
    """Colour `top` (r, g, b, alpha) painted over the opaque colour `under` (r, g, b)."""
    r, g, b, a = top
    return tuple(round(a * c + (1 - a) * u, 3) for c, u in zip((r, g, b), under))


def text_contrasts(page, root="body"):
    """Each visible text inside `root` (a selector) with its worst contrast against what is behind it:
    every colour stop of each gradient layer (over the layers beneath it) counts. [(text, ratio, px, bold)]."""
    out = []
    for text, colours, layers, base, px, bold, opacity in page.evaluate(TEXT_COLOURS_JS, root):
        backs = {parse_rgb(base)[:3]}
        for layer in reversed(layers):                   # from the farthest up to the text
            backs = {_over(parse_rgb(stop), b) for stop in layer for b in backs}
        ratios = []
        for colour in colours:
            r, g, b, a = parse_rgb(colour)
            ratios += [contrast(_over((r, g, b, a * opacity), back), back) for back in backs]
        out.append((text, round(min(ratios), 2), px, bold))
    return out


def low_contrast_text(page, root="body"):
    """Visible text (inside `root`, a selector) below WCAG 1.4.3 AA: 4.5:1, or 3:1 for large text
    (≥ 24 px, or ≥ 18.66 px bold). Returns [(text, ratio, needed)]."""
    out = []
    for text, ratio, px, bold in text_contrasts(page, root):
        needed = 3 if px >= 24 or (bold and px >= 18.66) else 4.5
        if ratio < needed:
            out.append((text, ratio, needed))
    return out


def _texts_with_lang(html):
    """(text, tag, lang) of every text of a page's HTML outside <script>, <style>, <template>, <title> and
    hidden elements; lang is the nearest lang attribute's value ("" when none)."""
    from html.parser import HTMLParser

    void = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    class Scan(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.stack, self.out, self.skip = [], [], 0

        def handle_starttag(self, tag, attrs):
            if tag in void:
                return
            attrs = dict(attrs)
            lang = attrs.get("lang", self.stack[-1][1] if self.stack else "")
            # a <title> cannot hold a marked span: checked apart (English titles, docs/accessibility.md)
            hides = tag in ("script", "style", "template", "title") or "hidden" in attrs
            self.stack.append((tag, lang, hides))
            self.skip += hides

        def handle_endtag(self, tag):
            while self.stack:
                top, _, hides = self.stack.pop()
                self.skip -= hides
                if top == tag:
                    break

        def handle_data(self, data):
            if not self.skip and self.stack and data.strip():
                tag, lang, _ = self.stack[-1]
                self.out.append((data.strip(), tag, (lang or "").lower()))

    scan = Scan()
    scan.feed(html)
    return scan.out


def unmarked_chinese_html(html):
    """The server-side twin of unmarked_chinese: text with Chinese characters (and <option>s whose label
    has them) outside any element whose lang is Chinese, from a page's HTML. [(text, tag)], up to 20."""
    han = re.compile(r"[\u3400-\u9fff]")
    return [(text[:30], tag) for text, tag, lang in _texts_with_lang(html)
            if han.search(text) and not lang.startswith("zh")][:20]


def fullwidth_punctuation_html(html):
    """The server-side twin of fullwidth_punctuation (the <title> included): [(text, tag)], up to 20."""
    marks = re.compile(f"[{FULLWIDTH}]")
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    found = [(title.group(1).strip()[:60], "title")] if title and marks.search(title.group(1)) else []
    return (found + [(text[:60], tag) for text, tag, lang in _texts_with_lang(html)
                     if marks.search(text) and not lang.startswith("zh")])[:20]


# Boxes that scroll sideways because their content is wider than they are (a .table-wrap whose table is
# cut at its right edge): too_wide() lets a table scroll inside its wrapper; a page that must show every
# column at a desktop size checks this too. Returns [(selector-ish, content width, box width)].
SCROLLING_JS = """(selector) => [...document.querySelectorAll(selector)]
    .filter(e => e.scrollWidth > e.clientWidth + 1)
    .map(e => [e.tagName.toLowerCase() + '.' + [...e.classList].join('.') + ' ' + (e.innerText || '').slice(0, 30),
               e.scrollWidth, e.clientWidth]).slice(0, 10)"""


def cut_off(page, selector=".table-wrap"):
    return page.evaluate(SCROLLING_JS, selector)
