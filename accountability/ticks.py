"""Tick `accountability.overdue`: a yellow STAGE_OVERDUE alert for each (case, stage) whose working-day
deadline has passed, closed with a note once the case has moved on. A few queries per run, whatever
the number of cases."""
from django.db import transaction
from django.utils.translation import gettext as _

from alerts.actions import AlertSpec, do_change_alerts, sync_alerts
from alerts.models import ACTIVE_STATUSES, Alert, AlertStatus, Level
from alerts.subjects import existing_alerts
from core.claims import claim
from workdays.zone import local_date

from .models import AccountabilityCase, Stage

SUBJECT = "accountability"
RULE = "STAGE_OVERDUE"
ACTOR = "accountability.overdue"


def overdue_specs(cases, now):
    return [AlertSpec(SUBJECT, c.number, RULE, c.stage, Level.YELLOW, now,
                      f"问责案件 {c.number} 「{c.get_stage_display()}」阶段期限 {c.deadline} 已过",
                      c.department_id, c.region_id, c.centre_id)
            for c in cases]


def raise_overdue(now):
    """Alerts for the cases whose current stage is past its deadline; sync_alerts never repeats one. The
    cases are claimed (core.claims) and their alerts read after the claim, so a second worker skips
    them or sees the alerts the first one committed."""
    cases = list(claim(AccountabilityCase.objects.exclude(stage=Stage.ARCHIVED).filter(deadline__lt=local_date(now))))
    if not cases:
        return 0
    existing = existing_alerts(SUBJECT, [c.number for c in cases], rule=RULE)
    return len(sync_alerts(overdue_specs(cases, now), existing))


def close_moved_on(now):
    """Close the active alerts whose stage is no longer the case's current stage. The alerts are
    claimed (core.claims): one another worker closed meanwhile is no longer active."""
    active = list(claim(Alert.objects.filter(subject_type=SUBJECT, rule=RULE, status__in=ACTIVE_STATUSES)))
    if not active:
        return 0
    stages = dict(AccountabilityCase.objects.filter(number__in={a.subject_key for a in active})
                  .values_list("number", "stage"))
    done = [a for a in active if stages.get(a.subject_key) != a.step]
    if done:
        do_change_alerts(done, to_status=AlertStatus.CLOSED, at=now, actor=ACTOR, note=_("问责案件已进入下一阶段"))
    return len(done)


@transaction.atomic
def overdue_tick(now):
    """Both steps in one transaction, on rows they claimed (core.claims)."""
    return close_moved_on(now) + raise_overdue(now)


def stage_step_labels(alerts):
    """An accountability alert's step is the stage it was raised in: its name (alerts.vocab)."""
    return {(a.subject_key, a.step): Stage(a.step).label for a in alerts if a.step in Stage.values}
