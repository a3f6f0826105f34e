"""The monitoring centre's data: what a centre sees of its jurisdiction now.

`stamp()` is one cheap query (the newest event and alert-change ids, plus the local date); while it
does not change, nothing on the dashboard can have changed, so the live endpoint answers 204 at the
cost of that single query. `snapshot()` reads the live counters (supervision.tally) and the active
alerts, never the case table, and is shared by every client of the same jurisdiction and stamp.
"""
from collections import Counter, defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy as _, pgettext

from alerts.models import ACTIVE_STATUSES, Alert, AlertChange, Level
from alerts.subjects import subject_url
from alerts.vocab import label_alerts, rule_label
from cases.models import CaseEvent
from cases.vocab import SUBJECT
from core.access import scope_of
from orgs.models import Department, Region
from workdays.zone import local_date, tz

from .models import DayTally, OpenTally
from .tally import DAY_FIELDS

LEVELS = ("notice", "yellow", "red")
TREND_DAYS = 14
FEED_SIZE = 15
CACHE_SECONDS = 60


def stamp(now):
    """'<newest event id>.<newest alert change id>.<local date>' in one query."""
    sql = (f"SELECT (SELECT MAX(id) FROM {CaseEvent._meta.db_table}), "
           f"(SELECT MAX(id) FROM {AlertChange._meta.db_table})")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        events, changes = cursor.fetchone()
    return f"{events or 0}.{changes or 0}.{local_date(now):%Y%m%d}"


def jurisdiction(who):
    """The root Region a centre user oversees (a system administrator: the top of the tree), or None."""
    scope = scope_of(who)
    if not scope.is_centre:
        return None
    if scope.everything:
        return Region.objects.filter(parent=None).order_by("code").first()
    return Region.objects.filter(path=scope.region_path).first()


def unit_of(root, path):
    """The unit a region rolls up to on the dashboard: the root's child on its path, or the root."""
    codes = path.strip("/").split("/")
    depth = len(root.path.strip("/").split("/"))
    return codes[depth] if len(codes) > depth else root.code


def snapshot(who, now, unit=None, version=None):
    """The dashboard's data for `who` (optionally one unit below its root), cached per stamp."""
    root = jurisdiction(who)
    if root is None:
        return None
    base = root
    if unit and unit != root.code:
        base = Region.objects.filter(code=unit, path__startswith=root.path).first() or root
    version = version or stamp(now)
    key = f"cw-centre:{base.code}:{version}:{get_language()}"
    data = cache.get(key)
    if data is None:
        data = _compute(base, now)
        data["stamp"] = version
        cache.set(key, data, CACHE_SECONDS)
    return data


def _compute(root, now):
    today = local_date(now)
    regions = {r["code"]: r for r in Region.objects.filter(path__startswith=root.path).values("code", "name", "path")}
    in_root = {"region__path__startswith": root.path}
    tallies = DayTally.objects.filter(**in_root)
    sums = {f: Sum(f) for f in DAY_FIELDS}
    days = list(tallies.filter(day=today).values("department_id", "region_id").annotate(**sums))
    for row in days:
        row["day"] = today
    trend = list(tallies.filter(day__gt=today - timedelta(days=TREND_DAYS), day__lte=today).values("day")
                 .annotate(**sums))
    month = tallies.filter(day__gte=today.replace(day=1), day__lte=today).aggregate(
        completed=Sum("completed"), completed_late=Sum("completed_late"))
    opened = list(OpenTally.objects.filter(**in_root).values("department_id", "region_id")
                  .annotate(open=Sum("open"), overdue=Sum("overdue"), suspended=Sum("suspended")))
    alerts = list(Alert.objects.filter(status__in=ACTIVE_STATUSES, **in_root)
                  .values("department_id", "region_id", "level", "status").annotate(n=Count("pk")))
    # What still needs attention, newest first by when it was raised (the index (status, -raised_at)
    # serves it); closed alerts, by people or by their own rule (DUE_SOON), drop off.
    feed = label_alerts(Alert.objects.filter(status__in=ACTIVE_STATUSES, **in_root).select_related("department", "region")
                        .order_by("-raised_at", "-pk")[:FEED_SIZE])  # step names, never step codes
    dept_ids = {r["department_id"] for r in days + opened + alerts if r["department_id"]}
    departments = {d["pk"]: d for d in Department.objects.filter(pk__in=dept_ids).values("pk", "code", "name")}
    return {
        "as_of": now.isoformat(),
        "root": {"code": root.code, "name": root.name},
        "today": _today(days, today),
        "open": _sum(opened, ("open", "overdue", "suspended")),
        "on_time": _on_time(days, month, today),
        "alerts": _alert_levels(alerts),
        "units": _units(root, regions, days, opened, alerts, today),
        "departments": _departments(departments, days, opened, alerts, today),
        "trend": _trend(trend, today),
        "feed": [_feed_row(a, now) for a in feed],
    }


def _sum(rows, fields):
    return {f: sum(r[f] or 0 for r in rows) for f in fields}


def _today(days, today):
    return _sum([r for r in days if r["day"] == today], ("received", "accepted", "completed", "completed_late"))


def _rate(done, late):
    return round(100 * (done - late) / done, 1) if done else None


def _on_time(days, month, today):
    t = _today(days, today)
    m = {k: v or 0 for k, v in month.items()}
    return {"today": _rate(t["completed"], t["completed_late"]), "month": _rate(m["completed"], m["completed_late"]),
            "month_completed": m["completed"]}


def _alert_levels(alerts):
    out = {level: {"open": 0, "urged": 0, "answered": 0, "total": 0} for level in LEVELS}
    for r in alerts:
        out[r["level"]][r["status"]] += r["n"]
        out[r["level"]]["total"] += r["n"]
    return out


def _blank():
    return Counter({"received": 0, "completed": 0, "open": 0, "overdue": 0, "notice": 0, "yellow": 0, "red": 0})


def _add_rows(groups, keyfn, days, opened, alerts, today):
    for r in days:
        if r["day"] == today:
            groups[keyfn(r)].update({"received": r["received"] or 0, "completed": r["completed"] or 0})
    for r in opened:
        groups[keyfn(r)].update({"open": r["open"] or 0, "overdue": r["overdue"] or 0})
    for r in alerts:
        groups[keyfn(r)][r["level"]] += r["n"]


def _units(root, regions, days, opened, alerts, today):
    groups = defaultdict(_blank)
    _add_rows(groups, lambda r: unit_of(root, regions[r["region_id"]]["path"]), days, opened, alerts, today)
    children = [c for c, r in regions.items() if r["path"].count("/") == root.path.count("/") + 1]
    rows = []
    for code in [root.code] + sorted(children):
        g = groups.get(code, _blank())
        name = regions[code]["name"] if code != root.code else _("%(name)s本级") % {"name": root.name}
        rows.append({"code": code, "name": str(name), **g})
    return rows


def _departments(departments, days, opened, alerts, today):
    groups = defaultdict(_blank)
    _add_rows(groups, lambda r: r["department_id"], days, opened, alerts, today)
    rows = [{"id": pk, "code": departments[pk]["code"], "name": departments[pk]["name"],
             "url": reverse("supervision:department", args=[departments[pk]["code"]]), **g}
            for pk, g in groups.items() if pk in departments]
    rows.sort(key=lambda r: (-(r["red"] * 100 + r["yellow"] * 10 + r["notice"]), -r["open"], r["code"]))
    return rows


def _trend(days, today):
    by_day = defaultdict(Counter)
    for r in days:
        by_day[r["day"]].update({f: r[f] or 0 for f in ("received", "completed", "notices", "yellows", "reds")})
    out = []
    for i in range(TREND_DAYS - 1, -1, -1):
        d = today - timedelta(days=i)
        c = by_day.get(d, Counter())
        out.append({"day": d.isoformat(), "received": c["received"], "completed": c["completed"],
                    "notice": c["notices"], "yellow": c["yellows"], "red": c["reds"]})
    return out


def alert_link(alert):
    """Where an alert leads from the centre's pages: a case to the centre's case page, any other
    subject to the page its app registered (alerts.subjects)."""
    if alert.subject_type == SUBJECT:
        return reverse("supervision:case", args=[alert.subject_key])
    return subject_url(alert)


def link_alerts(alerts):
    """label_alerts, and `link` (alert_link) on each alert."""
    alerts = label_alerts(alerts)
    for a in alerts:
        a.link = alert_link(a)
    return alerts


def _feed_row(alert, now):
    url = alert_link(alert)
    return {
        "id": alert.pk, "level": alert.level, "rule": alert.rule, "label": str(rule_label(alert.rule)),
        "step": alert.step_label, "subject": alert.subject_key, "status": alert.status,
        "status_label": str(alert.get_status_display()), "department": alert.department.name if alert.department else "",
        "region": alert.region.name, "raised_at": alert.raised_at.isoformat(),
        "raised_local": alert.raised_at.astimezone(tz()).strftime("%m-%d %H:%M"), "url": url,
    }


def labels():
    """The words the dashboard's script shows, in the request's language."""
    return {
        "levels": {value: str(label) for value, label in Level.choices},
        "no_alerts": str(_("暂无告警")), "no_data": str(_("暂无数据")), "open": str(_("在办")),
        "overdue": str(_("超期")), "received": str(_("收件")), "completed": str(_("办结")),
        "alerts": str(_("告警")), "cases": str(pgettext("plural", "办件")), "offline": str(_("连接中断，正在重试…")),
        # the gauges sit under the panel title 按时办结 / On time: short captions keep clear of the arc at 1440 px
        "ontime_month": str(pgettext("on-time gauge", "本月")), "ontime_today": str(pgettext("on-time gauge", "今日")),
        "tz": settings.TIME_ZONE,
    }
