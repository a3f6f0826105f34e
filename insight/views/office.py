"""The centre's "likely to breach" list: open cases by forecast probability, scoped like every list."""
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from core.access import require_office, scoped

from ..models import CaseForecast, ForecastConfig

PAGE_SIZE = 50


def top(user, n):
    """The wall's panel: the user's n open cases likeliest to breach (core.facts "centre.likely")."""
    rows = (scoped(CaseForecast.objects.not_yet_due(), user).order_by(*CaseForecast.LIKELY_FIRST)
            .values_list("case_no", "probability", "remaining_days")[:n])
    return [{"case_no": no, "percent": round(p * 100), "remaining_days": left} for no, p, left in rows]


@login_required
def likely(request):
    require_office(request.user)
    rows = (scoped(CaseForecast.objects.not_yet_due(), request.user)
            .select_related("case__item_version", "case__department")
            .order_by(*CaseForecast.LIKELY_FIRST))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for f in page:
        f.percent = round(f.probability * 100)
    return render(request, "insight/likely.html", {"page": page, "config": ForecastConfig.current()})
