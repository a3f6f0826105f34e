from django import template

from alerts.vocab import rule_label as _rule_label

register = template.Library()


@register.filter
def rule_label(code):
    """{{ alert.rule|rule_label }}: the rule's name in the user's language, never the code."""
    return _rule_label(code)


@register.filter
def alert_status(value):
    """{{ change.to_status|alert_status }}: 待督办/督办中/…, '—' for none."""
    from alerts.models import AlertStatus

    return AlertStatus(value).label if value in AlertStatus.values else (value or "—")


@register.filter
def level_label(value):
    """{{ change.to_level|level_label }}: 预警/黄牌/红牌, '—' for none."""
    from alerts.models import Level

    return Level(value).label if value in Level.values else (value or "—")


# Notes the system writes on alert changes (alerts.actions), as markers; people read these words.
SYSTEM_NOTES = {"raised": "规则触发", "closed by rule": "条件已消除，自动关闭"}


@register.filter
def alert_note(note):
    """{{ change.note|alert_note }}: a system marker in words; what a person wrote, as written."""
    from django.utils.translation import gettext

    return gettext(SYSTEM_NOTES[note]) if note in SYSTEM_NOTES else note


@register.filter
def alert_detail(detail):
    """{{ alert.detail|alert_detail }}: the detail in the reader's language (alerts.vocab.detail_parts);
    its Chinese parameters (names of steps, fees, people) and an unregistered Chinese detail are marked
    lang="zh-CN" on an English page."""
    from django.utils.html import conditional_escape
    from django.utils.safestring import mark_safe

    from alerts.vocab import chinese_detail, detail_parts
    from core.templatetags.cw import in_chinese, zh

    if not detail or in_chinese():
        return chinese_detail(detail)
    parts = detail_parts(detail)
    if parts is None:
        return zh(detail)
    template, params = parts
    return mark_safe(conditional_escape(template) % {k: zh(v) for k, v in params.items()})
