"""A small published catalog for the portal tests, built with the ORM.

    152500 锡林郭勒盟 ── 152502 锡林浩特市 ── 152501 二连浩特市
    halls: hL (League centre hall: 住建局 window), hC (锡林浩特 hall: 市场监管局 window)
    items: 建筑工程施工许可证核发 (住建局, 5/20 days, 3 steps, no fee, v2 effective next year),
           食品经营许可 (市场监管局, 即办件, one fee), an unpublished item.
"""
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from catalog.models import Item, ItemKind, ItemVersion
from orgs.models import Centre, Department, Hall, HallKind, Region, RegionLevel, Window

BUILD_PERMIT = "11152500MB1234567X-XK-0001"
FOOD_LICENCE = "11152502MB7654321Y-XK-0002"
HIDDEN = "11152500MB1234567X-XK-0003"

STEPS = [
    {"code": "accept", "name": "受理", "limit_days": 1, "responsible": "窗口受理岗", "duties": "查验申请材料是否齐全", "required": True},
    {"code": "review", "name": "审核", "limit_days": 2, "responsible": "建筑市场监管科", "duties": "审查施工条件", "required": True},
    {"code": "approve", "name": "审批", "limit_days": 2, "responsible": "分管副局长", "duties": "签发施工许可证", "required": True},
]
MATERIALS = [
    {"name": "建筑工程施工许可申请表", "copies": 1, "required": True},
    {"name": "建设工程规划许可证", "copies": 1, "required": True},
    {"name": "施工合同", "copies": 2, "required": False},
]
FOOD_FEES = [{"code": "GB", "name": "证书工本费", "max_amount": "10.00", "basis": "内蒙古自治区物价局内价费字〔2019〕12号"}]


@dataclass
class Catalog:
    league: Region
    city: Region
    erlian: Region
    hall_league: Hall
    hall_city: Hall
    housing: Department
    market: Department


def version(item, number=1, effective_from=date(2025, 1, 1), **fields):
    values = {
        "name": "事项", "kind": ItemKind.LICENSING, "legal_basis": "《中华人民共和国行政许可法》",
        "legal_limit_days": 20, "promised_limit_days": 10,
    }
    values.update(fields)
    return ItemVersion.objects.create(item=item, number=number, effective_from=effective_from, **values)


def build():
    league = Region.objects.create(code="152500", name="锡林郭勒盟", level=RegionLevel.LEAGUE)
    city = Region.objects.create(code="152502", name="锡林浩特市", level=RegionLevel.COUNTY, parent=league)
    erlian = Region.objects.create(code="152501", name="二连浩特市", level=RegionLevel.COUNTY, parent=league)
    Centre.objects.create(code="cL", name="锡林郭勒盟行政效能电子监察监控中心", region=league, phone="0479-8273105")
    hall_league = Hall.objects.create(code="hL", name="锡林郭勒盟政务服务中心", kind=HallKind.CENTRE_HALL, region=league,
                                      address="锡林浩特市锡林大街 1 号", hours="周一至周五 8:30–12:00，14:30–18:00")
    hall_city = Hall.objects.create(code="hC", name="锡林浩特市政务服务中心", kind=HallKind.CENTRE_HALL, region=city)
    housing = Department.objects.create(code="dHousing", name="锡林郭勒盟住房和城乡建设局", region=league)
    market = Department.objects.create(code="dMarket", name="锡林浩特市市场监督管理局", region=city)
    Window.objects.create(code="w-housing", name="12 号窗口", hall=hall_league, department=housing)
    Window.objects.create(code="w-market", name="3 号窗口", hall=hall_city, department=market)

    permit = Item.objects.create(code=BUILD_PERMIT, department=housing)
    version(permit, name="建筑工程施工许可证核发", promised_limit_days=5, legal_limit_days=20, steps=STEPS,
            materials=MATERIALS, legal_basis="《中华人民共和国建筑法》第八条",
            process="网上或窗口提交申请，受理后审核、审批，结果送达。", result="建筑工程施工许可证",
            location="锡林郭勒盟政务服务中心二楼", consult_phone="0479-8888001", complaint_phone="0479-8888002")
    next_year = timezone.localdate() + timedelta(days=365)
    version(permit, number=2, effective_from=next_year, name="建筑工程施工许可证核发（新版）", promised_limit_days=3)

    food = Item.objects.create(code=FOOD_LICENCE, department=market)
    version(food, name="食品经营许可", promised_limit_days=0, legal_limit_days=20, fees=FOOD_FEES,
            materials=[{"name": "食品经营许可申请书", "copies": 1, "required": True}], result="食品经营许可证")

    hidden = Item.objects.create(code=HIDDEN, department=housing, published=False)
    version(hidden, name="房地产开发企业资质核定")
    return Catalog(league, city, erlian, hall_league, hall_city, housing, market)


def many_items(department, n, prefix="批量事项"):
    """n published items with one version each, inserted in bulk."""
    items = Item.objects.bulk_create([Item(code=f"BULK-{i:04d}", department=department) for i in range(n)])
    ItemVersion.objects.bulk_create([
        ItemVersion(item=item, number=1, effective_from=date(2025, 1, 1), name=f"{prefix}{i:04d}",
                    kind=ItemKind.PUBLIC_SERVICE, legal_basis="—", legal_limit_days=10, promised_limit_days=5)
        for i, item in enumerate(items)
    ])
