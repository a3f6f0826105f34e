"""The printable urge (督办单): what the A4 page and its PDF say, in words — no rule, step or status code
(docs/centre.md, "The printable urge")."""
from django.utils.translation import gettext as _, pgettext

from alerts.vocab import rule_label
from cases.models import Case
from cases.vocab import SUBJECT as CASE
from workdays.zone import tz


def subject_words(subject_type):
    return {CASE: pgettext("alert subject", "办件"), "complaint": pgettext("alert subject", "投诉"),
            "rating": pgettext("alert subject", "评价"), "camera": pgettext("alert subject", "监控点位"),
            "accountability": pgettext("alert subject", "问责案件")}.get(subject_type, _("对象"))


def alert_rows(urge):
    """[{level, rule, subject, step, raised_at}] for the urge's alerts in the order raised, in words. Step
    names come from the item version each case used (one query for all the cases)."""
    alerts = list(urge.alerts.order_by("raised_at", "pk"))
    keys = [a.subject_key for a in alerts if a.subject_type == CASE and a.step]
    steps = {}
    for case in Case.objects.filter(case_no__in=keys).select_related("item_version").only(
            "case_no", "item_version__steps"):
        version_steps = case.item_version.steps if case.item_version else []
        steps[case.case_no] = {s.get("code"): s.get("name") for s in version_steps}
    return [{
        "level": a.get_level_display(),
        "level_code": a.level,
        "rule": rule_label(a.rule),
        "subject": f"{subject_words(a.subject_type)} {a.subject_key}",
        "step": steps.get(a.subject_key, {}).get(a.step, "") if a.step else "",
        "raised_at": a.raised_at.astimezone(tz()),
    } for a in alerts]


def sheet_context(urge):
    return {"urge": urge, "rows": alert_rows(urge), "issued_at": urge.issued_at.astimezone(tz()),
            "attachments": list(urge.attachments.all())}
