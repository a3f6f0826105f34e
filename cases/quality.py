"""The data-quality watch (DOMAIN.md): events that arrived late (more than one working day after
they occurred; historical imports excepted), events the clock ignored — per department, from
counters the projection keeps on each case — and events held with no case ('received' never
came), per sending client since they have no department yet."""
from django.db.models import Count, Q, Sum

from core.access import scope_of

from .models import Case, CaseStatus


def quality_by_department(who):
    """Rows {department, cases, late_events, ignored_events, cases_with_problems} within who's scope."""
    cases = Case.objects.filter(scope_of(who).q(Case)).exclude(department=None)
    problem = Q(late_events__gt=0) | Q(ignored_events__gt=0)
    return list(
        cases.values("department__code", "department__name")
        # the filtered count first: after the sums, `late_events` would name the sum, not the field
        .annotate(cases=Count("pk"), cases_with_problems=Count("pk", filter=problem))
        .annotate(late_events=Sum("late_events"), ignored_events=Sum("ignored_events"))
        .filter(cases_with_problems__gt=0)
        .order_by("-cases_with_problems", "department__code")
    )


def orphans_by_client(who):
    """Cases still waiting for their 'received', per sending client (centre staff only)."""
    if not scope_of(who).is_centre:
        return []
    return list(Case.objects.filter(status=CaseStatus.INCOMPLETE).values("client__name")
                .annotate(cases=Count("pk")).order_by("client__name"))
