"""Statistics computed by the system (never typed in): tallies of ratings per staff, window, hall,
department, region and item over a period, with rankings and an Excel export. One aggregate query per
table; default ratings are counted apart; bad reviews the centre voided are counted apart too."""
from io import BytesIO

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from catalog.models import ItemVersion

from . import rules
from .models import FollowUpStatus, VOID_FOLLOW_UP

DIMENSIONS = {
    # name: (label, group fields, how to name a row)
    "department": (_("部门"), ("department_id", "department__name"), lambda r: r["department__name"]),
    "hall": (_("服务大厅"), ("hall_id", "hall__name"), lambda r: r["hall__name"]),
    "window": (_("窗口"), ("window_id", "window__hall__name", "window__name"),
               lambda r: f"{r['window__hall__name']} {r['window__name']}" if r["window_id"] else None),
    "staff": (_("工作人员"), ("staff_id", "staff__name", "staff__code"),
              lambda r: f"{r['staff__name']}（{r['staff__code']}）" if r["staff_id"] else None),
    "region": (_("行政区划"), ("region_id", "region__name"), lambda r: r["region__name"]),
    "item": (_("事项"), ("item_id", "item__code"), lambda r: r["item__code"]),
}

VOID = Q(follow__status__in=VOID_FOLLOW_UP)
VALID = Q(is_default=False) & ~VOID


def aggregates():
    agg = {level: Count("pk", filter=VALID & Q(level=level)) for level in rules.LEVELS}
    agg["defaults"] = Count("pk", filter=Q(is_default=True))
    agg["voided"] = Count("pk", filter=VOID)
    agg["bad_followed"] = Count("pk", filter=VALID & Q(level__in=rules.BAD, follow__visited_at__isnull=False))
    agg["bad_rectified"] = Count("pk", filter=VALID & Q(follow__status=FollowUpStatus.ANSWERED))
    return agg


def to_tally(row):
    return rules.Tally(counts={level: row[level] for level in rules.LEVELS}, defaults=row["defaults"],
                       voided=row["voided"], bad_followed=row["bad_followed"], bad_rectified=row["bad_rectified"])


def total(qs):
    return to_tally(qs.aggregate(**aggregates()))


def table(qs, dimension):
    """[(name, Tally)] per group of `dimension`, best satisfaction first (then most ratings)."""
    label, fields, name_of = DIMENSIONS[dimension]
    rows = list(qs.order_by().values(*fields).annotate(**aggregates()))
    names = _item_names({r["item_id"] for r in rows}) if dimension == "item" else {}
    result = []
    for row in rows:
        if row[fields[0]] is None:
            continue
        name = name_of(row)
        if dimension == "item":
            name = f"{names.get(row['item_id'], '')}（{row['item__code']}）"
        result.append((name, to_tally(row)))
    result.sort(key=lambda nt: (-(nt[1].satisfaction_rate or -1), -nt[1].total, nt[0]))
    return result


def _item_names(item_ids):
    names = {}
    for version in ItemVersion.objects.filter(item_id__in=item_ids).order_by("effective_from", "number"):
        names[version.item_id] = version.name  # the latest wins
    return names


HEADERS = [_("名称"), _("非常满意"), _("满意"), _("基本满意"), _("不满意"), _("非常不满意"), _("有效评价数"),
           _("满意率%"), _("差评率%"), _("回访率%"), _("整改率%"), _("默认评价（另计）"), _("认定不实差评（另计）")]


def row_values(name, t):
    return [name, *(t.counts[level] for level in rules.LEVELS), t.total, t.satisfaction_rate, t.bad_rate,
            t.follow_up_rate, t.rectification_rate, t.defaults, t.voided]


def excel(rows, title):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = str(title)[:31]
    sheet.append([str(h) for h in HEADERS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for rank, (name, t) in enumerate(rows, 1):
        sheet.append(row_values(name, t))
    sheet.column_dimensions["A"].width = 40
    out = BytesIO()
    book.save(out)
    return out.getvalue()
