"""Rating numbers: PJ<local yyyymmdd>-<seq> from core.numbering, one sequence for ratings given by people
and default ratings given in a batch."""
from datetime import timedelta

from django.utils import timezone

from core.numbering import local_day
from evaluations.ticks import tick_default_ratings
from evaluations.models import EvaluationSettings, Rating

from .conftest import make_case
from .test_rating import rate


def test_ratings_and_a_batch_of_default_ratings_share_one_sequence_of_the_local_day(api_client, items, people):
    rated = rate(make_case(api_client[0], "ITEM-PLAIN"))
    day = f"PJ{local_day(rated.rated_at):%Y%m%d}-"
    assert rated.number == f"{day}0001"
    for _ in range(3):
        done = make_case(api_client[0], "ITEM-PLAIN", completed=True)
        done.ended_at = timezone.now() - timedelta(days=20)
        done.save()
    EvaluationSettings.objects.create(default_rating_enabled=True, default_rating_days=15)
    assert tick_default_ratings(rated.rated_at + timedelta(seconds=1)) == 3
    defaults = sorted(Rating.objects.filter(is_default=True).values_list("number", flat=True))
    assert defaults == [f"{day}{n:04d}" for n in (2, 3, 4)]
