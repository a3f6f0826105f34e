"""Ratings' time-based work, registered with core.ticks in apps.py: overdue rectifications of bad reviews
(evaluations.rectify_overdue) and the default rating of completed cases left unrated
(evaluations.default_ratings)."""
from datetime import timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from alerts.actions import AlertSpec, sync_alerts
from alerts.models import Level as AlertLevel
from alerts.subjects import existing_alerts
from cases.models import Case, CaseStatus
from core.audit import record, record_change
from core.claims import claim
from core.numbering import day_prefix, next_numbers
from ledger import chain
from orgs.lookup import centres_for
from workdays.zone import local_date

from . import rules
from .models import (OPEN_FOLLOW_UP, SUBJECT, Channel, EvaluationSettings, FollowUp, FollowUpChange, Rating,
                     Stage)

def tick_overdue(now):
    """Open follow-ups past their deadline: mark overdue and raise a yellow alert each (once). The
    follow-ups are claimed (core.claims); one another worker marked meanwhile no longer matches."""
    today = local_date(now)
    with transaction.atomic():
        due = list(claim(FollowUp.objects.filter(status__in=OPEN_FOLLOW_UP, deadline__lt=today, overdue=False)
                         .select_related("rating")))
        if not due:
            return 0
        centres = centres_for({f.rating.region_id for f in due})
        specs = [AlertSpec(subject_type=SUBJECT, subject_key=f.rating.number, rule="RECTIFY_OVERDUE", step="",
                           level=AlertLevel.YELLOW, raised_at=now,
                           detail=_("差评 %(no)s 超过整改期限 %(d)s 仍未整改答复") % {"no": f.rating.number,
                                                                          "d": f.deadline},
                           department_id=f.rating.department_id, region_id=f.rating.region_id,
                           centre_id=centres.get(f.rating.region_id)) for f in due]
        existing = existing_alerts(SUBJECT, [f.rating.number for f in due], rule="RECTIFY_OVERDUE")
        sync_alerts(specs, existing)
        FollowUp.objects.filter(pk__in=[f.pk for f in due]).update(overdue=True)
        chain.append_saved(FollowUpChange, [c.pk for c in FollowUpChange.objects.bulk_create([
            record_change(FollowUpChange, f, f.status, actor="system", at=now, note=str(f.deadline), action="overdue",
                          save=False) for f in due])])
    return len(due)


def tick_default_ratings(now, limit=1000):
    """If enabled: completed cases unrated at completion for N days get a default rating (marked).
    The cases are claimed (core.claims), then their ratings read again under the claim: a rating
    another worker (or a person) committed after the claiming query's snapshot is seen there."""
    config = EvaluationSettings.current()
    if not config.default_rating_enabled:
        return 0
    cutoff = now - timedelta(days=config.default_rating_days)
    with transaction.atomic():
        cases = list(claim(Case.objects.filter(status=CaseStatus.COMPLETED, ended_at__lte=cutoff,
                                               department__isnull=False).exclude(ratings__stage=Stage.COMPLETION)
                           .select_related("window"))[:limit])
        rated = set(Rating.objects.filter(case__in=[c.pk for c in cases], stage=Stage.COMPLETION)
                    .values_list("case_id", flat=True))
        cases = [c for c in cases if c.pk not in rated]
        if not cases:
            return 0
        numbers = next_numbers(Rating, "number", day_prefix("PJ", now), len(cases))
        rows = [Rating(number=number, case=c, stage=Stage.COMPLETION, level=rules.LEVELS[1],
                       channel=Channel.SYSTEM, is_default=True, rated_at=now, department_id=c.department_id,
                       region_id=c.region_id, item_id=c.item_id, window=c.window,
                       hall_id=c.window.hall_id if c.window else None, source="system:default")
                for c, number in zip(cases, numbers)]
        Rating.objects.bulk_create(rows, ignore_conflicts=True)
        chain.append_saved(Rating, Rating.objects.filter(number__in=numbers).values_list("pk", flat=True))
        record("evaluations.default_ratings", "default_ratings", "evaluations.Rating", len(rows),
               after={"cases": [c.case_no for c in cases][:50], "days": config.default_rating_days})
    return len(rows)
