"""The "likely to breach" list and the forecast on the case page, scoped by role."""
from cases.ingest import ingest
from clearwindow.testing.events import ev
from insight.forecast import refresh

from .test_forecast import at, history, open_case


def seed(api):
    history(api, 40)
    open_case(api, "OPEN-1", "2026-04-27")  # 3 of 5 days used: certainly late
    open_case(api, "OPEN-2", "2026-04-30")  # accepted today, none of 5 used: about half
    refresh(at("2026-04-30T23:00:00"))


def test_it_lists_open_cases_by_probability_for_the_centre(api_client, people, client):
    seed(api_client[0])
    client.force_login(people["county_supervisor"])
    page = client.get("/supervision/likely/").content.decode()
    assert "OPEN-1" in page and "OPEN-2" in page and "H-0001" not in page  # ended cases have no forecast
    assert page.index("OPEN-1") < page.index("OPEN-2")  # the likelier first
    assert "100%" in page and "本事项历史" in page
    assert "BREACH" not in page and "item" not in page.split("<main", 1)[-1].split("</main>")[0]


def test_it_shows_nothing_outside_the_users_jurisdiction(api_client, people, client):
    seed(api_client[0])
    client.force_login(people["other_supervisor"])  # another county's centre
    page = client.get("/supervision/likely/").content.decode()
    assert "OPEN-1" not in page and "暂无预测" in page


def test_the_list_keeps_its_query_count_bounded(api_client, people, client, django_assert_max_num_queries):
    seed(api_client[0])
    client.force_login(people["league_supervisor"])
    with django_assert_max_num_queries(12):
        assert client.get("/supervision/likely/").status_code == 200


def test_the_case_page_shows_the_forecast_and_what_drives_it(api_client, people, client):
    seed(api_client[0])
    client.force_login(people["county_supervisor"])
    page = client.get("/supervision/cases/OPEN-2/").content.decode()
    assert "超期预测" in page and "已用 0 个工作日，时限 5 个工作日" in page and "本事项历史" in page
    ingest(api_client[0], [ev("OPEN-2", "completed", "2026-05-06T10:00:00+08:00", result="approved", staff="王芳")],
           now=at("2026-05-06T11:00:00"))
    assert "超期预测" not in client.get("/supervision/cases/OPEN-2/").content.decode()  # ended: no forecast


def test_english_pages_speak_english(api_client, people, client):
    seed(api_client[0])
    client.force_login(people["county_supervisor"])
    client.cookies["django_language"] = "en"
    page = client.get("/supervision/likely/").content.decode()
    assert "Cases likely to breach" in page and "Breach probability" in page


def test_the_wall_shows_the_likeliest_cases_of_the_users_jurisdiction(api_client, people, client):
    seed(api_client[0])
    client.force_login(people["county_supervisor"])
    wall = client.get("/supervision/centre/wall/").content.decode()
    assert "可能超期" in wall and wall.index("OPEN-1") < wall.index("OPEN-2")
    client.force_login(people["other_supervisor"])
    assert "OPEN-1" not in client.get("/supervision/centre/wall/").content.decode()


def test_the_case_page_names_what_the_case_has_been_through(api_client, people, client):
    seed(api_client[0])
    ingest(api_client[0], [ev("OPEN-2", "suspended", "2026-04-30T15:00:00+08:00", kind="other", reason="现场核查")],
           now=at("2026-04-30T16:00:00"))
    refresh(at("2026-04-30T23:00:00"))
    client.force_login(people["county_supervisor"])
    page = client.get("/supervision/cases/OPEN-2/").content.decode()
    assert "已完成 0 / 0 个环节" in page and "正在暂停计时" in page
    client.cookies["django_language"] = "en"
    page = client.get("/supervision/cases/OPEN-2/").content.decode()
    assert "Steps completed: 0 of 0" in page and "clock suspended" in page
