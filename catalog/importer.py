"""Importing a catalog file: validate all of it, then upsert by code, in one transaction.

    summary = import_catalog(data, actor)   # data: the parsed JSON; raises CatalogError

Nothing is deleted: a code the file does not mention is left as it is. An item whose content
changed gets a new ItemVersion effective from the file's `effective_from` (never earlier than its
latest version's); an item whose content is unchanged gets nothing, whatever its `effective_from`.
"""
from dataclasses import dataclass, field

from django.db import transaction

from core.audit import record
from ledger import chain
from orgs.models import Department, Hall, Region, Window

from .models import Item, ItemVersion, search_text_of
from .schema import SECTIONS, CatalogError, Known, validate


@dataclass
class Counts:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)


@dataclass
class Summary:
    """What an import changed: codes per section and outcome, and the item versions it created."""

    sections: dict = field(default_factory=lambda: {name: Counts() for name in SECTIONS})
    versions: list = field(default_factory=list)  # (item code, version number, effective_from)
    dry_run: bool = False

    def lines(self, versions=True):
        """The summary as lines of text; `versions`: list each new version too."""
        out = [f"{name}: {len(c.created)} created, {len(c.updated)} updated, {len(c.unchanged)} unchanged"
               for name, c in self.sections.items()]
        out.append(f"item versions: {len(self.versions)} created")
        if versions:
            out += [f"  {code} v{number} from {day}" for code, number, day in self.versions]
        if self.dry_run:
            out.append("dry run: nothing was saved")
        return out

    def as_dict(self):
        data = {name: {"created": c.created, "updated": c.updated, "unchanged": len(c.unchanged)}
                for name, c in self.sections.items()}
        data["versions"] = [[code, number, str(day)] for code, number, day in self.versions]
        return data


def import_catalog(data, actor, *, dry_run=False):
    """Validate and import the catalog `data`; all or nothing. Returns a Summary; raises CatalogError
    with every error found. `actor`: a User or the name of a process (see core.audit.record)."""
    with transaction.atomic():
        errors, catalog = validate(data, known_for(data))
        if errors:
            raise CatalogError(errors)
        summary = Summary(dry_run=dry_run)
        _apply(catalog, summary, actor)
        record(actor, "catalog.import", "catalog", "file", after=summary.as_dict())
        if dry_run:
            transaction.set_rollback(True)
    return summary


def known_for(data):
    """What the database holds that a catalog file may refer to, in four queries."""
    codes = []
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        codes = [i.get("code") for i in data["items"] if isinstance(i, dict) and isinstance(i.get("code"), str)]
    return Known(
        regions={code: (parent, level) for code, parent, level in Region.objects.values_list("code", "parent_id", "level")},
        halls=set(Hall.objects.values_list("code", flat=True)),
        departments=set(Department.objects.values_list("code", flat=True)),
        items=latest_versions(codes),
    )


def latest_versions(item_codes):
    """{item code: its latest version (latest effective_from, then highest number)}, in one query."""
    latest = {}
    rows = (ItemVersion.objects.filter(item__code__in=list(item_codes)).select_related("item")
            .order_by("item_id", "-effective_from", "-number"))
    for version in rows:
        latest.setdefault(version.item.code, version)
    return latest


def _apply(catalog, summary, actor):
    counts = summary.sections
    _upsert(Region, catalog.regions, counts["regions"], actor, lambda r: {
        "name": r["name"], "level": r["level"], "parent_id": r["parent"]})
    if counts["regions"].created or counts["regions"].updated:
        rebuild_region_paths()
    _upsert(Hall, catalog.halls, counts["halls"], actor, lambda h: {
        "name": h["name"], "kind": h["kind"], "region_id": h["region"], "address": h["address"],
        "phone": h["phone"], "hours": h["hours"]})
    _upsert(Department, catalog.departments, counts["departments"], actor, lambda d: {
        "name": d["name"], "region_id": d["region"], "email": d["email"]})
    halls = _ids(Hall, {w["hall"] for w in catalog.windows})
    departments = _ids(Department, {w["department"] for w in catalog.windows} | {i["department"] for i in catalog.items})
    _upsert(Window, catalog.windows, counts["windows"], actor, lambda w: {
        "name": w["name"], "hall_id": halls[w["hall"]], "department_id": departments[w["department"]]})
    _apply_items(catalog.items, departments, summary, actor)


def _ids(model, codes):
    return dict(model.objects.filter(code__in=codes).values_list("code", "pk"))


def _upsert(model, records, counts, actor, row_of):
    """Create or update rows of `model` by code; rows whose fields are equal are left alone."""
    obj_type = model._meta.model_name
    existing = model.objects.in_bulk([r["code"] for r in records], field_name="code")
    new, changed = [], []
    for rec in records:
        code, row = rec["code"], row_of(rec)
        obj = existing.get(code)
        if obj is None:
            new.append(model(code=code, **row))
            counts.created.append(code)
            record(actor, f"{obj_type}.create", obj_type, code, after=row)
            continue
        before = {name: getattr(obj, name) for name in row}
        if before == row:
            counts.unchanged.append(code)
            continue
        for name, value in row.items():
            setattr(obj, name, value)
        changed.append(obj)
        counts.updated.append(code)
        record(actor, f"{obj_type}.update", obj_type, code, before=before, after=row)
    model.objects.bulk_create(new)
    if changed:
        model.objects.bulk_update(changed, [f.removesuffix("_id") for f in row_of(records[0])])


def rebuild_region_paths():
    """Recompute every region's materialised path from the parent links (after parents changed)."""
    rows = dict(Region.objects.values_list("code", "parent_id"))
    old = dict(Region.objects.values_list("code", "path"))
    paths = {}

    def path_of(code):
        chain = []
        while code is not None and code not in paths:
            chain.append(code)
            code = rows[code]
        prefix = paths[code] if code is not None else ""
        for node in reversed(chain):
            prefix = paths[node] = prefix + node + "/"
        return prefix

    changed = [Region(code=code, path=path_of(code)) for code in rows]
    Region.objects.bulk_update([r for r in changed if r.path != old[r.code]], ["path"])


def _apply_items(records, departments, summary, actor):
    counts = summary.sections["items"]
    latest = latest_versions([r["code"] for r in records])
    existing = Item.objects.in_bulk([r["code"] for r in records], field_name="code")
    new_items, changed_items, versions = [], [], []
    for rec in records:
        row = {"department_id": departments[rec["department"]], "published": rec["published"]}
        item, prev = existing.get(rec["code"]), latest.get(rec["code"])
        item_changed = False
        if item is None:
            new_items.append(Item(code=rec["code"], **row))
        else:
            before = {name: getattr(item, name) for name in row}
            item_changed = before != row
            if item_changed:
                for name, value in row.items():
                    setattr(item, name, value)
                changed_items.append(item)
                record(actor, "item.update", "item", item.code, before=before, after=row)
        content_changed = prev is None or prev.content() != rec["content"]
        if content_changed:
            versions.append((rec, prev))
        _count(counts, rec["code"], item is None, item_changed or content_changed)
    Item.objects.bulk_create(new_items)
    Item.objects.bulk_update(changed_items, ["department", "published"])
    _create_versions(versions, summary, actor)


def _count(counts, code, created, updated):
    if created:
        counts.created.append(code)
    elif updated:
        counts.updated.append(code)
    else:
        counts.unchanged.append(code)


def _create_versions(versions, summary, actor):
    ids = _ids(Item, {rec["code"] for rec, _ in versions})
    rows = []
    for rec, prev in versions:
        number = prev.number + 1 if prev else 1
        row = ItemVersion(item_id=ids[rec["code"]], number=number, effective_from=rec["effective_from"],
                          **rec["content"])
        row.search_text = search_text_of(row)
        rows.append(row)
        summary.versions.append((rec["code"], number, rec["effective_from"]))
        record(actor, "item.new_version" if prev else "item.create", "item", rec["code"],
               before=version_audit(prev) if prev else None,
               after={"number": number, "effective_from": str(rec["effective_from"]), **rec["content"]})
    chain.append_saved(ItemVersion, [v.pk for v in ItemVersion.objects.bulk_create(rows)])


def version_audit(version):
    return {"number": version.number, "effective_from": str(version.effective_from), **version.content()}
