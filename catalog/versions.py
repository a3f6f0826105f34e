"""Item versions as the engine reads them, cached per process: versions never change once written,
so each process keeps those it has read until a version is added anywhere. One small query per batch
tells (the newest version's id and time); only items not seen before are loaded. The cache belongs
here, beside the versions it keeps, and nowhere else (docs/engine.md, "The engine's interface")."""
from django.db.models import Max

from .models import ItemVersion

# what the clock and the checks read of a version (not its guide: materials, process, legal basis…)
VERSION_FIELDS = ("item", "number", "effective_from", "promised_limit_days", "legal_limit_days", "warn_days",
                  "max_extension_days", "steps", "fees")

_versions = (None, {})  # (token, {item pk: [versions]}), replaced whole, never changed in place


def versions_by_item(items):
    """{item code: [versions in effective order]} for some items (objects with pk and code)."""
    global _versions
    token = ItemVersion.objects.aggregate(Max("id"), Max("created_at"))
    token = (token["id__max"], token["created_at__max"])
    seen_token, seen = _versions
    if seen_token != token:
        seen = {}
    missing = {item.pk for item in items if item.pk not in seen}
    if missing:
        seen = {**seen, **{pk: [] for pk in missing}}
        rows = (ItemVersion.objects.filter(item_id__in=missing).order_by("effective_from", "number")
                .only(*VERSION_FIELDS))
        for version in rows:
            seen[version.item_id].append(version)
    _versions = (token, seen)
    return {item.code: seen[item.pk] for item in items if seen[item.pk]}


def forget_versions():
    """Drop what this process keeps (the next batch reads the versions again)."""
    global _versions
    _versions = (None, {})


def version_on(versions, day):
    """The version in force on `day`; a case received before an item's first version uses the first."""
    in_force = [v for v in versions if v.effective_from <= day]
    return in_force[-1] if in_force else (versions[0] if versions else None)
