"""Template helpers every page may use without {% load %} (TEMPLATES builtins in settings):

    {{ region.name|zh }}   Chinese data inside a page in another language: wrapped in <span lang="zh-CN">
                           (screen readers switch voice; browsers pick Simplified Chinese glyphs), unchanged
                           in a Chinese page or when the text has no Chinese characters.
    {% colon %}            the separator after a label: "：" in Chinese, ": " in English ("提交时间：…").
    {{ name|zh_lang }}     the attribute lang="zh-CN" (or nothing) for an <option>'s Chinese label.
    {{ item|zh_cell }}     the same attribute put on a table cell that arrives as HTML (the admin's list rows).
    {{ names|join_list }}  a list joined the language's way: "、" in Chinese, ", " in English (also a function).
    {{ code|paren }}       an aside in brackets: "（H152530-01）" in Chinese, " (H152530-01)" in English (also a
                           function): "胡海峰（H152530-01）", "Hu Haifeng (H152530-01)".
    {% punct "；" %}       a mark between the parts of a sentence: "，" "；" "。" in Chinese, ", " "; " ". " in
                           English. Chinese punctuation never reaches an English page outside Chinese data.
    {{ n|working_days }}   a count of working days: "3 个工作日"; "1 working day" / "3 working days" in English;
                           "—" when there is none. Every "n 个工作日" on a page goes through it (or through
                           {% blocktranslate count %} when the number sits inside a sentence).
    {{ day|month_short }}  a month as a column heading: "3月" in Chinese, "Mar" in English.
    {{ rate|percent }}     a rate: "93.5%", or 无数据 / No data when there was nothing to divide (None): never
                           a dash, a 0 or a 100 (docs/performance.md, missing data).
    {{ n|or_no_data }}     the same for a figure shown without a unit.
"""
import re

from django import template
from django.utils.html import conditional_escape, format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext, pgettext

register = template.Library()
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def in_chinese():
    return (get_language() or "zh-hans").lower().startswith("zh")


@register.filter(needs_autoescape=True)
def zh(value, autoescape=True):
    if value is None or value == "":
        return ""
    text = str(value)
    if in_chinese() or not HAN.search(text):
        return conditional_escape(value) if autoescape else value
    return format_html('<span lang="zh-CN">{}</span>', value)


@register.filter
def zh_lang(value):
    """<option value="…"{{ name|zh_lang }}>{{ name }}</option>: the attribute lang="zh-CN" for Chinese data
    where a span cannot go (an option's label, a title); '' in a Chinese page, for text without Chinese
    characters, and for an English label that glosses a Chinese term ("Graft (吃拿卡要)": it starts with
    a Latin letter)."""
    text = "" if value is None else str(value)
    first = re.search(r"[A-Za-z\u3400-\u9fff\uf900-\ufaff]", text)
    if in_chinese() or first is None or not HAN.match(first.group(0)):
        return ""
    return mark_safe(' lang="zh-CN"')


@register.filter
def zh_cell(cell):
    """{{ item|zh_cell }}: a table cell rendered elsewhere as HTML (the Django admin's list rows) gets
    lang="zh-CN" on its <td>/<th> when its text has Chinese characters ("ITEM-01 测试事项" too: a data cell
    holds no English gloss) and the page is not Chinese."""
    if in_chinese() or not HAN.search(strip_tags(str(cell))):
        return cell
    return mark_safe(re.sub(r"^(\s*<t[dh]\b)", r'\1 lang="zh-CN"', str(cell), count=1))


@register.simple_tag
def colon():
    return pgettext("label separator", "：")


@register.filter
def join_list(items):
    return pgettext("list joiner", "、").join(str(i) for i in items)


@register.filter(needs_autoescape=True)
def paren(value, autoescape=True):
    """value in the language's brackets; '' for an empty value. Escapes value unless it is safe HTML."""
    if value is None or value == "":
        return ""
    text = conditional_escape(value) if autoescape else str(value)
    return mark_safe(f"（{text}）" if in_chinese() else f" ({text})")


PUNCT_EN = {"，": ", ", "；": "; ", "。": ". ", "：": ": ", "、": ", "}


@register.simple_tag
def punct(mark):
    return mark if in_chinese() else PUNCT_EN[mark]


@register.filter
def working_days(n):
    if n is None or n == "":
        return "—"
    n = int(n)
    return ngettext("%(n)d 个工作日", "%(n)d 个工作日", n) % {"n": n}


@register.filter
def days_left(n, late=False):
    """{{ n|days_left }}: the working days left before a due date, "剩余 3 个工作日" / "3 working days left";
    on the due date itself "今日到期" / "due today", never "剩余 0 个工作日"; after it "超期 3 个工作日" /
    "3 working days late", never "剩余 -3 个工作日". {{ n|days_left:late }} where the due date may have
    passed on a day off (n is 0 then, DOMAIN.md): "已超期" / "Overdue", not "due today"."""
    n = int(n)
    if n == 0:
        return gettext("已超期") if late else gettext("今日到期")
    if n < 0:  # past the due date: never "剩余 -3 个工作日"
        return ngettext("超期 %(n)s 个工作日", "超期 %(n)s 个工作日", -n) % {"n": -n}
    return ngettext("剩余 %(n)d 个工作日", "剩余 %(n)d 个工作日", n) % {"n": n}


@register.filter
def month_short(day):
    from django.utils.dateformat import format as date_format

    return f"{day.month}月" if in_chinese() else date_format(day, "M")


def _no_data():
    return format_html('<span class="no-data">{}</span>', gettext("无数据"))


@register.filter
def or_no_data(value):
    return _no_data() if value is None else value


@register.filter
def percent(value):
    return _no_data() if value is None else f"{value}%"
