from datetime import date

import pytest
from django.urls import reverse

from . import data

pytestmark = pytest.mark.django_db


def page(client, code):
    return client.get(reverse("portal:item_detail", args=[code]))


def test_it_shows_every_published_field_of_the_current_version(client, catalog):
    response = page(client, data.BUILD_PERMIT)
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("建筑工程施工许可证核发", "行政许可", "锡林郭勒盟住房和城乡建设局", "《中华人民共和国建筑法》第八条",
                 "5 个工作日", "20 个工作日", "网上或窗口提交申请", "建筑工程施工许可证", "锡林郭勒盟政务服务中心二楼",
                 "0479-8888001", "0479-8888002", "2025-01-01", data.BUILD_PERMIT):
        assert text in html, text


def test_it_does_not_show_a_version_not_yet_in_force(client, catalog):
    html = page(client, data.BUILD_PERMIT).content.decode()
    assert "新版" not in html


def test_it_shows_the_steps_table(client, catalog):
    html = page(client, data.BUILD_PERMIT).content.decode()
    for step in data.STEPS:
        assert step["name"] in html and step["responsible"] in html and step["duties"] in html
    assert "2 个工作日" in html


def chain(response):
    """The published chain as the reader sees it: [(phase, cells of the row)]."""
    import re
    html = response.content.decode()
    table = html[html.index('data-table="chain"'):]
    table = table[:table.index("</table>")]
    rows = re.findall(r'<tr data-phase="(\w+)">(.*?)</tr>', table, re.S)
    return [(phase, [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)])
            for phase, row in rows]


def test_it_publishes_the_whole_chain_from_acceptance_to_completion(client, catalog):
    from catalog.models import ItemVersion

    ItemVersion.objects.create(
        item=catalog.housing.items.get(code=data.BUILD_PERMIT), number=3, effective_from=date(2025, 6, 1),
        name="建筑工程施工许可证核发", kind="licensing", legal_basis="《建筑法》", legal_limit_days=20,
        promised_limit_days=5, fees=[{"code": "F", "name": "工本费", "max_amount": "5.00", "basis": "价格文件"}],
        steps=[{"code": "handle", "name": "承办", "limit_days": 2, "responsible": "业务科室承办人", "duties": "实质审查",
                "responsible_person": "王志强"},
               {"code": "approve", "name": "审批", "limit_days": 1, "responsible": "分管负责人", "duties": "作出决定"}])
    rows = chain(page(client, data.BUILD_PERMIT))
    assert [phase for phase, _ in rows] == ["accept", "step", "step", "fee", "complete"]
    assert rows[0][1][1:4] == ["受理", "收件后 5 个工作日内", "窗口受理人员"]
    assert rows[1][1][1:5] == ["承办", "2 个工作日", "业务科室承办人", "王志强"]
    assert rows[2][1][1:5] == ["审批", "1 个工作日", "分管负责人", "—"]
    assert rows[3][1][1:4] == ["收费", "办结前当场缴纳", "窗口收费人员"]
    assert rows[4][1][1:4] == ["办结", "受理后 5 个工作日内（法定 20 个工作日）", "窗口出件人员"]


def test_it_adds_no_second_acceptance_when_the_item_lists_one_and_no_fee_phase_when_free(client, catalog):
    rows = chain(page(client, data.BUILD_PERMIT))
    assert [cells[1] for _, cells in rows] == ["受理", "审核", "审批", "办结"]


def test_it_publishes_the_chain_of_an_immediate_item_with_a_fee(client, catalog):
    rows = chain(page(client, data.FOOD_LICENCE))
    assert [cells[1] for _, cells in rows] == ["受理", "收费", "办结"]
    assert rows[2][1][2] == "当场办结（法定 20 个工作日）"


def test_it_shows_the_materials_table(client, catalog):
    html = page(client, data.BUILD_PERMIT).content.decode()
    for material in data.MATERIALS:
        assert material["name"] in html
    assert "必需" in html and "非必需" in html


def test_it_says_when_an_item_is_free(client, catalog):
    assert "不收费" in page(client, data.BUILD_PERMIT).content.decode()


def test_it_shows_fees_with_their_basis(client, catalog):
    html = page(client, data.FOOD_LICENCE).content.decode()
    assert "证书工本费" in html and "10.00 元" in html and "内价费字〔2019〕12号" in html
    assert "本事项不收取任何费用" not in html


def test_it_calls_a_zero_limit_an_immediate_item(client, catalog):
    assert "即办件" in page(client, data.FOOD_LICENCE).content.decode()


def test_it_shows_the_halls_and_windows_of_the_department(client, catalog):
    html = page(client, data.BUILD_PERMIT).content.decode()
    assert "锡林郭勒盟政务服务中心" in html and "12 号窗口" in html and "锡林大街 1 号" in html


def test_it_answers_404_for_unknown_or_unpublished_items(client, catalog):
    assert page(client, "NO-SUCH-CODE").status_code == 404
    assert page(client, data.HIDDEN).status_code == 404


def test_it_answers_404_for_an_item_with_no_version_in_force_yet(client, catalog):
    from datetime import timedelta

    from django.utils import timezone

    from catalog.models import Item
    item = Item.objects.create(code="FUTURE-1", department=catalog.housing)
    data.version(item, effective_from=timezone.localdate() + timedelta(days=3), name="明年的事项")
    assert page(client, "FUTURE-1").status_code == 404


def test_it_reads_an_item_page_in_a_few_queries(client, catalog, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert page(client, data.BUILD_PERMIT).status_code == 200


def test_it_explains_a_missing_item_in_the_portal_frame(client, catalog):
    response = page(client, data.HIDDEN)
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html and "锡林郭勒盟行政效能电子监察系统" in html
