"""Every query parameter is bounded (issue 14, defect 6, page side): non-numbers, negative, huge,
year 1 and 9999, impossible dates, empty, NUL and repeated values on every list page and list endpoint
answer 200 (the page's own message or its last page) or a 400 naming the parameter, never a 500.
PostgreSQL raises on integers beyond bigint and on NUL bytes, SQLite does not: run on both."""
import pytest

BAD = ["abc", "-1", "0", "1.5", "1e3", "99999999999999999999", "-99999999999999999999", "", " ", "\x00",
       "0001-01-01", "9999-12-31", "2026-13-45", "2026-02-30", "0000-00", "9999-12", "0001-01",
       "1-1-1T00:00:00+08:00", "0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59+08:00",
       "9999999999999999", "-62135596800", "253402300800", "2026-03-01T10:00:00", "%", "'", "a" * 5000]

# page, the query parameters it reads (besides those it ignores)
PAGES = {
    "/supervision/alerts/": ("page", "status", "level", "rule", "region", "department", "from", "to"),
    "/supervision/urges/": ("page", "status"),
    "/supervision/cases/": ("page", "q", "item", "department", "status", "level", "window", "region", "from", "to"),
    "/supervision/centre/": ("unit",),
    "/supervision/centre/live/": ("unit", "v"),
    "/supervision/centre/wall/": ("unit",),
    "/supervision/cases/kL/replay/": ("at",),
    "/supervision/cases/kL/": ("unmask",),
    "/cases/workbench/": ("page", "state", "status", "level", "q"),
    "/office/complaints/": ("page", "status", "category", "channel", "q"),
    "/office/consultations/": ("page", "status", "q"),
    "/office/complaints/analysis/": ("period", "format"),
    "/complaints/faq/": ("page", "q"),
    "/office/evaluations/ratings/": ("page", "level", "channel", "kind", "q"),
    "/office/evaluations/statistics/": ("start", "end", "by", "format"),
    "/office/evaluations/signals/": ("page",),
    "/evaluations/satisfaction/": ("period",),
    "/performance/": ("month",),
    "/performance/stats/": ("year",),
    "/office/performance/": ("month",),
    "/guide/": ("page", "region", "hall", "department", "q"),
    "/video/": ("region", "hall", "layout", "tour"),
    "/video/cameras/camL/": ("at",),
    "/video/cameras/camL/media/vod.m3u8": ("from", "to"),
    "/video/observations/": ("page", "status"),
    "/accountability/": ("page", "stage"),
    "/accountability/new/": ("alert", "complaint", "rating", "observation"),
    "/evaluations/": ("case", "code", "ch"),
    "/evaluations/rate/": ("case", "code"),
    "/complaints/track/": ("number",),
    "/track/": ("case_no",),
    "/api/v1/alerts": ("page", "status", "level", "rule", "region", "department", "from", "to"),
    "/api/v1/urges": ("page", "status"),
    "/api/v1/complaints": ("page", "status"),
    "/api/v1/cases/kL": ("as_of",),
    "/api/v1/video/cameras": (),
    "/api/v1/video/observations": (),
    "/api/v1/video/cameras/camL/segments": ("start", "end"),
    "/api/v1/ratings/statistics": ("by", "start", "end"),
}
# the other parameters a page needs while one is swept
BASE = {"/supervision/cases/kL/replay/": {"at": "2026-03-02T10:00:00+08:00"},
        "/api/v1/video/cameras/camL/segments": {"start": "2026-03-01T00:00:00+08:00",
                                                "end": "2026-03-02T00:00:00+08:00"}}


@pytest.mark.parametrize("path", PAGES)
def test_it_never_answers_500_to_a_bad_query_parameter(client, cast, path):
    client.force_login(cast.users["league_sup"])
    answers, base = {}, BASE.get(path, {})
    for name in PAGES[path]:
        for value in BAD:
            answers[name, value] = client.get(path, {**base, name: value})
        answers[name, "repeated"] = client.get(path, {**base, name: ["1", "abc", "2"]})
    assert client.get(path, base).status_code in (200, 302)  # the page itself works (or sends to its form)
    broken = {key: r.status_code for key, r in answers.items() if r.status_code >= 500 or r.status_code == 422}
    assert not broken
    for (name, value), r in answers.items():
        if r.status_code == 400 and path.startswith("/api/"):
            assert name in r.json()["error"], (name, value, r.content)
        elif r.status_code == 400:
            assert name in r.content.decode(), (name, value, r.content[:300])


# numbers and months in the path: a year, quarter, month or id no record has is a 404, never a 500
PATHS = ["/performance/year/99999999999999999999/", "/performance/year/0/", "/performance/year/9999.pdf",
         "/performance/bulletin/99999999999999999999/q1/", "/performance/bulletin/2026/q99999999999999999999/",
         "/performance/bulletin/9999/q4.xlsx", "/performance/month/9999-12.xlsx", "/performance/month/0001-01.xlsx",
         "/office/performance/score/99999999999999999999/", "/office/performance/line/99999999999999999999/",
         "/office/complaints/attachments/99999999999999999999/",
         "/accountability/accL/document/99999999999999999999/", "/office/performance/9999-12/",
         "/office/performance/0000-00/", "/video/cameras/camL/media/99999999/x.ts"]


@pytest.mark.parametrize("path", PATHS)
def test_it_answers_404_to_a_number_in_the_path_that_no_record_has(client, cast, path):
    client.force_login(cast.users["league_sup"])
    assert client.get(path).status_code == 404


def test_it_names_the_parameter_in_the_api_and_on_the_page(client, cast):
    client.force_login(cast.users["league_sup"])
    huge = client.get("/api/v1/alerts", {"page": "99999999999999999999"})
    assert huge.status_code == 400 and huge.json() == {"error": "page: expected a whole number from 1 to 1000000"}
    assert client.get("/api/v1/urges", {"page": "2"}).json() == []  # past the last page: empty, not an error
    page = client.get("/supervision/alerts/", {"from": "0001-01-01"})
    assert page.status_code == 400 and "参数“from”有误：日期应在 2000-01-01 到 2099-12-31 之间" in page.content.decode()
    replay = client.get("/supervision/cases/kL/replay/", {"at": "9999-12-31T23:59:59+08:00"})
    assert replay.status_code == 400 and "at" in replay.content.decode()
    nul = client.get("/api/v1/complaints", {"status": "a\x00b"})
    assert nul.status_code == 400 and nul.json()["error"].startswith("status: ")
