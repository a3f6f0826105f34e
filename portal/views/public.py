"""The public website: item guides (办事指南). Read-only; no login; published data only."""
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from catalog.guide import chain
from orgs.models import Department, Hall, Region

from .. import guides

PAGE_SIZE = 20


def index(request):
    versions = guides.current_versions()
    root = guides.top_region()
    halls = guides.hall_counts(versions)
    departments = guides.department_counts(versions)
    return render(request, "portal/index.html", {
        "item_total": versions.count(),
        "regions": guides.region_counts(root, versions),
        "halls": halls,
        "departments": departments,
        "hall_groups": guides.by_unit(root, halls),
        "department_groups": guides.by_unit(root, departments),
    })


def _picked(model, code):
    """The object named by a filter parameter; 404 for a code that does not exist."""
    return get_object_or_404(model, code=code) if code else None


def item_list(request):
    root = guides.top_region()
    region = _picked(Region, request.GET.get("region"))
    hall = _picked(Hall, request.GET.get("hall"))
    department = _picked(Department, request.GET.get("department"))
    terms, cut = guides.query_terms(request.GET.get("q", ""))
    q = " ".join(terms)
    versions = guides.search(guides.filter_versions(guides.current_versions(), region, hall, department), terms)
    versions = versions.select_related("item__department__region")
    page = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("page"))
    departments = Department.objects.select_related("region")
    if hall is not None:
        departments = departments.filter(pk__in=Department.objects.filter(windows__hall=hall))
    return render(request, "portal/item_list.html", {
        "page": page,
        "q": q,
        "q_cut": cut,
        "max_query": guides.MAX_QUERY,
        "max_terms": guides.MAX_TERMS,
        "region": region,
        "hall": hall,
        "department": department,
        "region_options": [root, *Region.objects.filter(parent=root)] if root else [],
        "hall_options": Hall.objects.all(),
        "department_options": departments,
        "query_without_page": _query_without(request, "page"),
    })


def _query_without(request, key):
    params = request.GET.copy()
    params.pop(key, None)
    return params.urlencode()


def item_detail(request, code):
    version = get_object_or_404(
        guides.current_versions().select_related("item__department__region"), item__code=code
    )
    department = version.item.department
    return render(request, "portal/item_detail.html", {
        "v": version,
        "item": version.item,
        "department": department,
        "windows": guides.windows_of(department),
        "chain": chain(version),
    })
