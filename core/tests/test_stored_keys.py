"""No stored value can break a page (issue 14, defect 5), for every kind of numbered record: a
complaint, consultation, rating, observation, accountability case, urge, camera, department and
case whose key holds `/`, `?`, `#`, `%`, a space, Chinese or dots is listed, linked and opened by
the people who may see it. (The centre's pages and the workbench: supervision/tests/test_stored_keys.py.)"""
import json
import re
from html import unescape

import pytest
from django.urls import reverse

from alerts.models import Alert

ODD = ["X/1 ?#%号~", "..", "办/件 ＃？&amp;"]

# cast object, its key field, the URL name that opens it, the list page that links to it
RECORDS = [
    ("tL", "number", "complaints:detail", "/office/complaints/"),
    ("qL", "number", "complaints:consultation", "/office/consultations/"),
    ("evL", "number", "evaluations:rating", "/office/evaluations/ratings/"),
    ("obL", "number", "video:observation", "/video/observations/"),
    ("accL", "number", "accountability:case", "/accountability/"),
    ("uL", "number", "supervision:urge", "/supervision/urges/"),
    ("camL", "code", "video:camera", "/video/"),
    ("kL", "case_no", "supervision:case", "/supervision/cases/"),
]


@pytest.mark.parametrize("odd", ODD, ids=range(len(ODD)))
@pytest.mark.parametrize("name,field,url_name,listing", RECORDS, ids=[r[0] for r in RECORDS])
def test_it_lists_links_and_opens_a_record_with_an_odd_key(client, cast, odd, name, field, url_name, listing):
    obj = cast[name]
    if name == "kL":
        Alert.objects.filter(subject_key=obj.case_no).update(subject_key=odd)
    setattr(obj, field, odd)
    obj.save(update_fields=[field])
    client.force_login(cast.users["league_sup"])
    page = client.get(listing)
    assert page.status_code == 200
    url = reverse(url_name, args=[odd])
    html = page.content.decode()
    tiles = re.search(r'<script id="wall-tiles" type="application/json">(.*?)</script>', html)
    linked = {unescape(h) for h in re.findall(r'href="([^"]+)"', html)}
    linked |= {t["url"] for t in json.loads(tiles[1])} if tiles else set()  # the video wall's tiles
    assert url in linked
    opened = client.get(url)
    assert opened.status_code == 200
    assert odd in unescape(opened.content.decode())
