"""Exporting the catalog in the format import_catalog reads (docs/catalog.md).

Each item is written with its latest version (the one with the latest effective_from, even if that
date is still to come), so that importing an export into the same database changes nothing.
With a region, the file holds that region's subtree: its regions (and their ancestors, so that the
file stands on its own), halls, departments, the windows of its halls (and the departments that
staff them) and the items of its departments.
"""
import json

from django.db.models import Q

from orgs.models import Department, Hall, Region, Window

from .importer import latest_versions
from .models import Item
from .schema import CatalogError


def export_catalog(region_code=None):
    """The catalog as a dict in the file format, everything or one region's subtree."""
    halls, departments = Hall.objects.all(), Department.objects.all()
    windows = Window.objects.select_related("hall", "department")
    items = Item.objects.select_related("department")
    if region_code is not None:
        root = Region.objects.filter(code=region_code).first()
        if root is None:
            raise CatalogError([f"--region: unknown region {region_code!r} (expected the code of a region)"])
        halls = halls.filter(region__path__startswith=root.path)
        windows = windows.filter(hall__in=halls)
        items = items.filter(department__region__path__startswith=root.path)
        departments = departments.filter(region__path__startswith=root.path) | departments.filter(windows__in=windows)
    halls, windows, items = list(halls.order_by("code")), list(windows.order_by("code")), list(items.order_by("code"))
    departments = list(departments.distinct().order_by("code"))
    regions = _regions_for(region_code, [h.region_id for h in halls] + [d.region_id for d in departments])
    return {
        "regions": [region_to_file(r) for r in regions],
        "halls": [hall_to_file(h) for h in halls],
        "departments": [department_to_file(d) for d in departments],
        "windows": [window_to_file(w) for w in windows],
        "items": _items_to_file(items),
    }


def dumps(catalog):
    return json.dumps(catalog, ensure_ascii=False, indent=2) + "\n"


def _regions_for(region_code, used):
    if region_code is None:
        return list(Region.objects.order_by("path"))
    root = Region.objects.get(code=region_code)
    paths = [root.path] + list(Region.objects.filter(code__in=used).values_list("path", flat=True))
    codes = {code for path in paths for code in path.strip("/").split("/")}
    return list(Region.objects.filter(Q(path__startswith=root.path) | Q(code__in=codes)).order_by("path"))


def region_to_file(r):
    return {"code": r.code, "name": r.name, "level": r.level, "parent": r.parent_id}


def hall_to_file(h):
    return {"code": h.code, "name": h.name, "kind": h.kind, "region": h.region_id, "address": h.address,
            "phone": h.phone, "hours": h.hours}


def department_to_file(d):
    return {"code": d.code, "name": d.name, "region": d.region_id, "email": d.email}


def window_to_file(w):
    return {"code": w.code, "name": w.name, "hall": w.hall.code, "department": w.department.code}


def item_to_file(item, version):
    """An item as the file writes it: identity, then the version's content, then its date."""
    c = version.content()
    return {
        "code": item.code, "name": c["name"], "department": item.department.code, "kind": c["kind"],
        "legal_basis": c["legal_basis"], "legal_limit_days": c["legal_limit_days"],
        "promised_limit_days": c["promised_limit_days"], "warn_days": c["warn_days"],
        "max_extension_days": c["max_extension_days"], "steps": c["steps"], "fees": c["fees"], "free": c["free"],
        "materials": c["materials"], "process": c["process"], "result": c["result"], "location": c["location"],
        "consult_phone": c["consult_phone"], "complaint_phone": c["complaint_phone"],
        "published": item.published, "effective_from": version.effective_from.isoformat(),
    }


def _items_to_file(items):
    latest = latest_versions([i.code for i in items])
    return [item_to_file(i, latest[i.code]) for i in items if i.code in latest]
