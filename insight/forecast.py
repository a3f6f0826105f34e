"""Refreshing the stored forecasts: fit the curves on the last year of cases with a clock, predict every
open one, store them, and raise or close BREACH_LIKELY. Runs as the tick `insight.forecast`, out of
band: nightly, and within REFRESH_EVERY of a case changing. Ingest never waits for it."""
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.actions import CLOSED_BY_RULE, AlertSpec, sync_alerts
from alerts.models import ACTIVE_STATUSES, Alert, AlertChange, AlertStatus, Level
from cases.models import Case
from cases.projection import SUBJECT, calendar, centres_for, refresh_alert_levels
from core import bulk

from .models import CaseForecast, ForecastConfig

RULE = "BREACH_LIKELY"
HISTORY = timedelta(days=365)  # the cases the curves learn from: clock started within a year
REFRESH_EVERY = timedelta(minutes=15)  # out-of-band refresh after cases changed


def remaining(cal, day, due):
    """Working days from `day` to `due`, negative past it (as cases.clock counts them)."""
    return cal.wd_between(day, due) if day <= due else -cal.wd_between(due, day)


def observations(now, cal=None):
    """The observations the curves learn from (clock started within HISTORY, or still open), and
    {case pk: (observation, case_no, department id, region code, working days left)} of the open ones."""
    from .model import Observation

    cal, zone = cal or calendar(), timezone.get_current_timezone()
    today = timezone.localtime(now, zone).date()
    rows = (Case.objects.filter(Q(clock_start__gte=today - HISTORY) | Q(ended_at__isnull=True),
                                clock_start__isnull=False, promised_due__isnull=False, item_version__isnull=False)
            .values_list("pk", "item_id", "department_id", "item_version__promised_limit_days", "extension_days",
                         "promised_due", "ended_at", "case_no", "region_id"))
    obs, open_ = [], {}
    for pk, item, dept, promised, ext, due, ended_at, case_no, region in rows.iterator(chunk_size=5000):
        limit = promised + ext
        day = timezone.localtime(ended_at, zone).date() if ended_at else today
        o = Observation(item, dept, limit, limit - remaining(cal, day, due), ended_at is not None)  # used
        obs.append(o)
        if ended_at is None:
            open_[pk] = (o, case_no, dept, region, remaining(cal, today, due))
    return obs, open_


def refresh(now, cal=None):
    """Recompute every open case's forecast. Returns how many were stored."""
    from .model import Forecaster

    obs, open_ = observations(now, cal)
    model = Forecaster(obs)
    rows = []
    for pk, (o, _no, _dept, _region, left) in open_.items():
        f = model.predict(o.item, o.department, o.limit, o.used)
        if f is not None:
            rows.append(bulk.build(CaseForecast, case_id=pk, probability=round(f.probability, 4), basis=f.basis,
                                   history=f.history, used_days=f.used, limit_days=f.limit, remaining_days=left,
                                   computed_at=now))
    with transaction.atomic():
        CaseForecast.objects.all().delete()
        CaseForecast.objects.bulk_create(rows, batch_size=2000)  # the pk is the case: core.bulk.insert omits it
        config = ForecastConfig.current()
        config.refreshed_at = now
        config.save()
        sync_rule(now, config, {r.case_id: r.probability for r in rows}, open_)
    return len(rows)


def sync_rule(now, config, probability, open_):
    """Raise BREACH_LIKELY where the probability reached the threshold; close it by rule where it fell
    below, or the case is no longer open; store the alert_level of every case whose alerts changed. Does nothing to open alerts while the rule is off but closes
    them, so switching it off leaves no stale notice."""
    active = {a.subject_key: a for a in Alert.objects.filter(subject_type=SUBJECT, rule=RULE,
                                                             status__in=ACTIVE_STATUSES)}
    keep, raised = set(), []
    if config.enabled:
        wanted = [(pk, v) for pk, v in open_.items() if probability.get(pk, 0) >= config.threshold]
        centres = centres_for({v[3] for _pk, v in wanted if v[3]})
        existing = {(SUBJECT, a.subject_key, RULE, ""): a for a in Alert.objects.filter(
            subject_type=SUBJECT, rule=RULE, subject_key__in=[v[1] for _pk, v in wanted])}
        specs = []
        for pk, (o, case_no, dept, region, left) in wanted:
            keep.add(case_no)
            if existing.get((SUBJECT, case_no, RULE, "")) is not None:
                continue  # one alert per (case, rule): raised once
            specs.append(AlertSpec(
                subject_type=SUBJECT, subject_key=case_no, rule=RULE, step="", level=Level.NOTICE, raised_at=now,
                detail=_("预测超期概率 %(p)d%%") % {"p": round(probability[pk] * 100)}, department_id=dept,
                region_id=region, centre_id=centres.get(region)))
        raised = sync_alerts(specs, existing)
    closing = [a for key, a in active.items() if key not in keep]
    changes = [bulk.build(AlertChange, alert_id=a.pk, at=now, actor_name="system", from_status=a.status,
                          to_status=AlertStatus.CLOSED, from_level=a.level, to_level=a.level, note=CLOSED_BY_RULE)
               for a in closing]
    Alert.objects.filter(pk__in=[a.pk for a in closing]).update(status=AlertStatus.CLOSED, closed_at=now)
    bulk.insert(AlertChange, changes)
    touched = {a.subject_key for a in raised} | {a.subject_key for a in closing}
    if touched:  # the case's alert_level counts BREACH_LIKELY like any other active alert
        refresh_alert_levels(touched)


def breach_probability(case, state):
    """The API's breach_probability: the stored forecast of an open case with a clock, else None."""
    if state.get("ended_at") or not state.get("clock_start"):
        return None
    return CaseForecast.objects.filter(case_id=case.pk).values_list("probability", flat=True).first()


def case_forecast(case):
    """What the case page shows: the stored forecast and the facts that drive it, or None."""
    f = CaseForecast.objects.filter(case_id=case.pk).first()
    if f is None:
        return None
    return {"percent": round(f.probability * 100), "used_days": f.used_days, "limit_days": f.limit_days,
            "remaining_days": f.remaining_days, "basis": f.get_basis_display(), "history": f.history,
            "computed_at": f.computed_at}


def refresh_tick(now):
    """Nightly (the first round after local midnight), and out of band when cases changed since the last
    refresh and REFRESH_EVERY has passed."""
    last = ForecastConfig.current().refreshed_at
    if last is not None:
        zone = timezone.get_current_timezone()
        same_day = timezone.localtime(last, zone).date() == timezone.localtime(now, zone).date()
        if same_day and (now - last < REFRESH_EVERY or not Case.objects.filter(updated_at__gt=last).exists()):
            return 0
    return refresh(now)
