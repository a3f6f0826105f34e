import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_shows_the_system_name_with_the_region(client, catalog):
    html = client.get(reverse("portal:index")).content.decode()
    assert "锡林郭勒盟行政效能电子监察系统" in html


def test_it_counts_published_items(client, catalog):
    response = client.get(reverse("portal:index"))
    assert response.context["item_total"] == 2
    html = response.content.decode()
    assert 'name="q"' in html and reverse("portal:item_list") in html


def test_it_offers_the_league_and_its_units_with_counts(client, catalog):
    regions = dict((r.name, n) for r, n in client.get(reverse("portal:index")).context["regions"])
    assert regions == {"锡林郭勒盟": 2, "二连浩特市": 0, "锡林浩特市": 1}


def test_it_offers_halls_and_departments_with_counts(client, catalog):
    context = client.get(reverse("portal:index")).context
    assert {h.name: n for h, n in context["halls"]} == {"锡林郭勒盟政务服务中心": 1, "锡林浩特市政务服务中心": 1}
    assert {d.name: n for d, n in context["departments"]} == {"锡林郭勒盟住房和城乡建设局": 1, "锡林浩特市市场监督管理局": 1}
    html = client.get(reverse("portal:index")).content.decode()
    assert "?hall=hL" in html and "?department=dMarket" in html and "?region=152502" in html


def test_it_works_on_an_empty_database(client, db):
    response = client.get(reverse("portal:index"))
    assert response.status_code == 200
    assert response.context["item_total"] == 0


def test_it_links_only_pages_that_exist(client, catalog):
    html = client.get(reverse("portal:index")).content.decode()
    nav = html.split('class="mainnav"')[1].split("</nav>")[0]
    assert "办事指南" in nav
    assert "href=\"#\"" not in nav


def test_it_keeps_the_query_count_when_the_catalog_grows(client, catalog, django_assert_max_num_queries):
    from . import data
    data.many_items(catalog.market, 150)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("portal:index"))
    assert response.context["item_total"] == 152
