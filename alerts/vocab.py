"""One home for the names of alert rules: each app registers its rules' labels (and, where its
alerts carry a step, how to name that step) in AppConfig.ready(), as ticks are registered with core.

Pages, exports and pre-filled forms show `rule_label(code)`, never the code; `label_alerts(alerts)`
puts `rule_label` and `step_label` on a page of alerts with one query per subject type.
"""
from django.utils.translation import gettext_lazy as _

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
