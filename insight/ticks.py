"""The forecast's and the step timings' time-based work, registered with core.ticks in apps.py: each
round is cheap when nothing changed; the full work runs nightly (the first round after local midnight)."""
from django.utils import timezone

from cases.models import Case

from .forecast import REFRESH_EVERY, refresh
from .models import ForecastConfig, WhereState
from .where import aggregate, build

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


def where_tick(now):
    """Timings of the cases changed since the last build (each round, cheap when few changed); the
    aggregates nightly (the first round after local midnight) or when never computed."""
    state = WhereState.current()
    zone = timezone.get_current_timezone()
    nightly = state.aggregated_at is None or (timezone.localtime(state.aggregated_at, zone).date()
                                              != timezone.localtime(now, zone).date())
    if not nightly and state.built_at is not None and now - state.built_at < REFRESH_EVERY:
        return 0
    built = build(now, since=state.built_at)
    WhereState.objects.filter(pk=state.pk).update(built_at=now) if state.pk else WhereState.objects.create(built_at=now)
    if nightly:
        aggregate(now)
    return built
