from django.utils import timezone

from evaluations import demo
from evaluations.models import FollowUp, Rating

from .conftest import make_case


def test_it_adds_demo_ratings_once(api_client, items, people):
    for _ in range(3):
        make_case(api_client[0], "ITEM-PLAIN", completed=True)
    first = demo.populate(timezone.now())
    assert first["devices"] == 1 and first["ratings"] == 3
    again = demo.populate(timezone.now())
    assert again["ratings"] == 0 and Rating.objects.count() == 3
    assert FollowUp.objects.count() == Rating.objects.filter(level__in=["dissatisfied", "very_dissatisfied"]).count()
