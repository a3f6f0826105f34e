"""Read-only queries behind the public item guides: only published items, only the version in
force today. Every function returns a bounded number of queries whatever the catalog's size."""
from collections import Counter

from django.db.models import Case, Count, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from catalog.models import ItemVersion
from orgs.models import Department, Hall, Region, Window


def today():
    return timezone.localdate()


def current_versions(day=None):
    """One ItemVersion per published item: the one in force on `day` (default today)."""
    day = day or today()
    in_force = (
        ItemVersion.objects.filter(item=OuterRef("item"), effective_from__lte=day)
        .order_by("-effective_from", "-number")
        .values("pk")[:1]
    )
    return ItemVersion.objects.filter(item__published=True, pk=Subquery(in_force))


def top_region(with_centre=False):
    """The root of the deployment's region tree (the League), or None on an empty database."""
    regions = Region.objects.filter(parent__isnull=True).order_by("code")
    return (regions.select_related("centre") if with_centre else regions).first()


MAX_QUERY = 50  # characters of the search box read; the rest is ignored (and the page says so)
MAX_TERMS = 5
# How an item's name answers the query (docs/catalog.md, "Guide search"), best first: the rank orders the
# results before the points below.
EXACT, STARTS, IN_NAME, ELSEWHERE = 0, 1, 2, 3
# Points a term scores for where it matches: the best match counts; they order the items within a rank.
NAME, DEPARTMENT, SHORT_NAME, TEXT = 8, 4, 3, 1


def query_terms(text):
    """The terms of a search box: at most MAX_TERMS whitespace-separated words of the first MAX_QUERY
    characters. Returns (terms, cut) where cut says that something was left out."""
    text = (text or "").strip()
    words = text[:MAX_QUERY].split()
    return words[:MAX_TERMS], len(text) > MAX_QUERY or len(words) > MAX_TERMS


def is_short_name(term, name):
    """A common short name (简称) keeps the characters of the full name in order: 市场监管 is short for
    市场监督管理局, 人社 for 人力资源和社会保障局. Two or more Chinese characters, none of them skipped."""
    if len(term) < 2 or term.isascii():
        return False
    rest = iter(name)
    return all(char in rest for char in term)


def search(versions, terms):
    """Versions matching every term, in the order a citizen checks them: the item whose name (or code)
    is the query, then names starting with the first term and holding the others, then names holding
    every term, then items found through their department or texts. Within a rank, by points (a term
    scores NAME in the item's name or code, DEPARTMENT in its department's name, SHORT_NAME as a short
    name of it, TEXT in the materials, result or legal basis), then item code. Substrings, no word
    splitting (Chinese has no spaces between words); case-insensitive for Latin letters. One query for
    the results and one for the departments."""
    if not terms:
        return versions.order_by("item__code")
    departments = list(Department.objects.values_list("pk", "name"))
    score, all_in_name = Value(0), Q()
    for term in terms:
        in_name = Q(name__icontains=term) | Q(item__code__icontains=term)
        direct = [pk for pk, name in departments if term.lower() in name.lower()]
        short = [pk for pk, name in departments if pk not in direct and is_short_name(term, name)]
        in_dept, in_short = Q(item__department_id__in=direct), Q(item__department_id__in=short)
        in_text = Q(search_text__icontains=term)
        versions = versions.filter(in_name | in_dept | in_short | in_text)
        score = score + Case(When(in_name, then=Value(NAME)), When(in_dept, then=Value(DEPARTMENT)),
                             When(in_short, then=Value(SHORT_NAME)), default=Value(TEXT))
        all_in_name &= in_name
    whole = " ".join(terms)
    rank = Case(When(Q(name__iexact=whole) | Q(item__code__iexact=whole), then=Value(EXACT)),
                When(all_in_name & (Q(name__istartswith=terms[0]) | Q(item__code__istartswith=terms[0])),
                     then=Value(STARTS)),
                When(all_in_name, then=Value(IN_NAME)), default=Value(ELSEWHERE))
    return versions.annotate(rank=rank, score=score).order_by("rank", "-score", "item__code")


def filter_versions(versions, region=None, hall=None, department=None):
    if region is not None:
        versions = versions.filter(item__department__region__path__startswith=region.path)
    if hall is not None:
        versions = versions.filter(item__department__in=Department.objects.filter(windows__hall=hall))
    if department is not None:
        versions = versions.filter(item__department=department)
    return versions


def region_counts(root, versions):
    """[(region, item count)] for the root and each child unit; counts include the subtree."""
    if root is None:
        return []
    units = [root, *Region.objects.filter(parent=root).order_by("code")]
    per_path = versions.values_list("item__department__region__path").annotate(n=Count("pk"))
    totals = Counter()
    for path, n in per_path:
        for unit in units:
            if path.startswith(unit.path):
                totals[unit.code] += n
    return [(unit, totals[unit.code]) for unit in units]


def hall_counts(versions):
    """[(hall, item count)]: items of the departments that staff a window in the hall."""
    halls = list(Hall.objects.select_related("region"))
    pairs = Window.objects.values_list("hall_id", "department_id").distinct()
    depts_of = {}
    for hall_id, dept_id in pairs:
        depts_of.setdefault(hall_id, set()).add(dept_id)
    per_dept = dict(versions.values_list("item__department_id").annotate(n=Count("pk")))
    return [(hall, sum(per_dept.get(d, 0) for d in depts_of.get(hall.pk, ()))) for hall in halls]


def department_counts(versions):
    """[(department, item count)] for departments with at least one published item."""
    per_dept = dict(versions.values_list("item__department_id").annotate(n=Count("pk")))
    departments = Department.objects.filter(pk__in=per_dept.keys()).select_related("region")
    return [(d, per_dept[d.pk]) for d in departments]


def windows_of(department):
    """The windows where a department sits, with their halls, hall by hall."""
    return Window.objects.filter(department=department).select_related("hall").order_by("hall__code", "code")


def by_unit(root, pairs):
    """Group [(obj, n)] (each obj with a .region) under the root's own level and each child unit:
    [(unit, is_root, [(obj, n)])], skipping empty groups."""
    if root is None:
        return []
    children = list(Region.objects.filter(parent=root).order_by("code"))
    groups = {unit.code: [] for unit in [root, *children]}
    for obj, n in pairs:
        unit = next((c for c in children if obj.region.path.startswith(c.path)), root)
        groups[unit.code].append((obj, n))
    return [(unit, unit is root, groups[unit.code]) for unit in [root, *children] if groups[unit.code]]
