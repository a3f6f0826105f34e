"""The monthly scoring engine: which organisations are assessed, which scheme applies, and the
computation of every organisation's score from the metric registry (a few aggregate queries per
metric for the whole month, whatever the number of organisations)."""
from collections import defaultdict
from dataclasses import dataclass, field

from orgs.models import Department, Region, RegionLevel

from . import metrics, rules
from .models import Group, Scheme


@dataclass
class Org:
    group: str
    unit: str
    name: str
    region_id: str
    department_id: int | None = None
    departments: list = field(default_factory=list)


def organisations():
    """League departments (a department of a League-level region), and banner/county governments
    (a county-level region with every department of its subtree). Two queries."""
    counties = list(Region.objects.filter(level=RegionLevel.COUNTY).values_list("code", "name", "path"))
    orgs = {}
    for code, name, _path in counties:
        orgs[code] = Org(Group.COUNTY_GOV, code, f"{name}人民政府" if not name.endswith("政府") else name, code)
    depts = Department.objects.values_list("id", "code", "name", "region_id", "region__level", "region__path")
    result = []
    for pk, code, name, region, level, path in depts:
        if level == RegionLevel.LEAGUE:
            result.append(Org(Group.LEAGUE_DEPT, code, name, region, pk, [pk]))
            continue
        county = _county_of(path, orgs)
        if county:
            county.departments.append(pk)
    return result + [o for o in orgs.values()]


def _county_of(path, counties):
    for code in path.strip("/").split("/"):
        if code in counties:
            return counties[code]
    return None


def scheme_for(group, month):
    """The scheme version in force for `group` in the month starting `month` (or None)."""
    first = month.replace(day=1)
    last = metrics.Month(first, None).last
    return (Scheme.objects.filter(group=group, effective_from__lte=last)
            .order_by("-effective_from", "-version").prefetch_related("indicators").first())


@dataclass
class Result:
    org: Org
    scheme: Scheme
    total: object  # None: no records this month (无数据)
    lines: list  # (indicator dict, rules.Line, Tally, available)


def compute(first_day, calendar):
    """Results for every organisation that has a scheme for its group this month; an organisation
    none of whose departments has records in the month (metrics.ACTIVITY) gets total None."""
    month = metrics.Month(first_day, calendar)
    schemes = {g: scheme_for(g, month.first) for g in Group.values}
    needed = {rules.source(i.as_rule()) for s in schemes.values() if s for i in s.indicators.all()}
    keys = {key: key if isinstance(key, tuple) else (key, "") for key in needed}  # (metric, step)
    available = {code: code in metrics.REGISTRY and metrics.REGISTRY[code].available() for code, _s in keys.values()}
    tallies = {key: metrics.REGISTRY[code].tally(month, step) for key, (code, step) in keys.items() if available[code]}
    units = metrics.units()
    active = metrics.active_departments(month)
    results = []
    for org in organisations():
        scheme = schemes.get(org.group)
        if scheme is None:
            continue
        if active.isdisjoint(org.departments):  # no records this month: no score (无数据), never 100
            results.append(Result(org, scheme, None, []))
            continue
        mine = {key: _sum(per_dept, org.departments) for key, per_dept in tallies.items()}
        indicators = scheme.as_rules()
        total, lines = rules.score(indicators, mine, units)  # None: nothing the scheme weighs had data (无数据)
        detail = [(ind, line, mine.get(rules.source(ind), rules.Tally()), available.get(ind["metric"], False))
                  for ind, line in zip(indicators, lines)]
        results.append(Result(org, scheme, total, detail))
    return results


def _sum(per_dept, departments):
    total = rules.Tally()
    for dept in departments:
        if dept in per_dept:
            total = total.add(per_dept[dept])
    return total


def group_totals(scores):
    """{group: {unit: total}} from Score rows (or anything with group, unit, total), without the
    organisations that have no score (无数据): they are in no ranking."""
    out = defaultdict(dict)
    for s in scores:
        if s.total is not None:
            out[s.group][s.unit] = s.total
    return out
