"""One home for the names of alert rules: each app registers its rules' labels (and, where its
alerts carry a step, how to name that step) in AppConfig.ready(), as ticks are registered with core.

Pages, exports and pre-filled forms show `rule_label(code)`, never the code; `label_alerts(alerts)`
puts `rule_label` and `step_label` on a page of alerts with one query per subject type.
"""
import re

from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from core.templatetags.cw import join_list

UNKNOWN_RULE = _("其他告警")

_rules = {}  # rule code -> lazy label
_help = {}  # rule code -> lazy explanation
_steps = {}  # subject type -> fn([alerts]) -> {(subject_key, step): label}


def register_rules(labels, help_texts=None):
    """Register {rule code: label} (and optionally {rule code: what it means}) for an app's rules."""
    _rules.update(labels)
    _help.update(help_texts or {})


def register_step_labels(subject_type, fn):
    """`fn(alerts)` names the steps of some alerts of this subject type: {(subject_key, step): label}."""
    _steps[subject_type] = fn


def rule_label(code):
    return _rules.get(code, UNKNOWN_RULE)


def rule_help(code):
    return _help.get(code, "")


def rule_labels():
    """{code: label} of every registered rule, in a stable order (the alert filter's choices)."""
    return dict(_rules)


def label_alerts(alerts):
    """Set `rule_label` and `step_label` on each alert (a model instance); returns the list."""
    alerts = list(alerts)
    by_type = {}
    for a in alerts:
        a.rule_label = rule_label(a.rule)
        a.step_label = ""
        if a.step:
            by_type.setdefault(a.subject_type, []).append(a)
    for subject_type, some in by_type.items():
        fn = _steps.get(subject_type)
        names = fn(some) if fn else {}
        for a in some:
            a.step_label = names.get((a.subject_key, a.step), "")
    return alerts


# -- alert details ------------------------------------------------------------------------------
# An alert's `detail` is written once, in Chinese, by whoever raises it (the clock on the ingest path,
# the sweeps). It is put into the reader's language when it is shown: each app registers the Chinese
# templates its details are made from (msgids with %(name)s / %(name)d placeholders, translated in the
# app's .po); a stored detail that matches one is re-rendered with gettext, its parameters kept (names
# are data). Nothing extra is stored or computed when the alert is raised, and old rows read the same.
# A parameter named *_list holds a "、"-joined list and is re-joined with the language's list joiner.
_details = []  # [(compiled pattern, template)], in registration order: more specific templates first
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%%")


def _pattern(template):
    parts, at = [], 0
    for m in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[at:m.start()]))
        parts.append("%" if m.group(0) == "%%" else rf"(?P<{m.group(1)}>.+?)")
        at = m.end()
    parts.append(re.escape(template[at:]))
    return re.compile("".join(parts) + r"\Z", re.S)


_aliases = []  # [(compiled pattern, template)]: details stored in an older wording, shown in the present one


def register_details(templates, aliases=None):
    """Register the Chinese templates (msgids) an app's alert details are made from, and `aliases`: {the
    template of an older wording still in stored details: the template it is shown as now, in Chinese too}."""
    old = [(_pattern(str(was)), str(now)) for was, now in (aliases or {}).items()]
    _aliases.extend(old)
    _details.extend(old + [(_pattern(str(t)), str(t)) for t in templates])


def chinese_detail(detail):
    """A stored detail as Chinese pages show it: as written, unless it is in an older wording (aliases)."""
    for pattern, template in _aliases:
        m = pattern.match(detail or "")
        if m:
            return template % m.groupdict()
    return detail or ""


def detail_parts(detail):
    """(translated template, {name: value}) for a stored detail that matches a registered template,
    else None. Values are the stored parameters (lists re-joined with the reader's joiner)."""
    for pattern, template in _details:
        m = pattern.match(detail or "")
        if m:
            params = {k: join_list(v.split("、")) if k.endswith("_list") else v
                      for k, v in m.groupdict().items()}
            return re.sub(r"%\((\w+)\)d", r"%(\1)s", gettext(template)), params
    return None


def detail_text(detail):
    """The stored detail in the reader's language (unchanged when it matches no registered template)."""
    if not detail or (get_language() or "zh-hans").lower().startswith("zh"):
        return chinese_detail(detail)
    parts = detail_parts(detail)
    return parts[0] % parts[1] if parts else detail
