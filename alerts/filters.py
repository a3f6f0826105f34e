"""The alert filters: one definition for the alert list page (supervision.views) and the API's
GET /alerts (supervision.api). Both read the same query parameters the same way; they differ only in
the status shown when none is asked for (the page: open alerts; the API: every status). Scoping to
the reader is the caller's (core.access.scoped)."""
from core.params import choice_param
from workdays.zone import days_filter

from .models import ACTIVE_STATUSES, AlertStatus, Level
from .vocab import rule_labels

FIELDS = ("status", "level", "rule", "region", "department", "from", "to")
ACTIVE, ALL = "active", "all"  # open, urged or answered; any status


def read_filters(query, *, status=""):
    """{parameter: value} of the filters in `query` (a QueryDict or a dict); `status` when none is given."""
    f = {name: (query.get(name) or "").strip() for name in FIELDS}
    f["status"] = f["status"] or status
    return f


def filter_alerts(qs, f):
    """`qs` (alerts) kept to the filters `f` (read_filters): status (a status, `active` or `all`), level,
    rule, region (with the regions under it), department (its code), and the local days `from` … `to`
    in which they were raised. A value outside a choice is a BadParam naming the parameter."""
    status = choice_param(f, "status", [*AlertStatus.values, ACTIVE, ALL])
    if status == ACTIVE:
        qs = qs.filter(status__in=ACTIVE_STATUSES)
    elif status in AlertStatus.values:
        qs = qs.filter(status=status)
    level = choice_param(f, "level", Level.values)
    if level:
        qs = qs.filter(level=level)
    rule = choice_param(f, "rule", list(rule_labels()))
    if rule:
        qs = qs.filter(rule=rule)
    if f["region"]:
        qs = qs.filter(region__path__contains=f"{f['region']}/")
    if f["department"]:
        qs = qs.filter(department__code=f["department"])
    return qs.filter(**days_filter("raised_at", f))
