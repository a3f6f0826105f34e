"""Write operations on the power list outside a file import. Each writes its audit row in the same
transaction. A version is never changed: an edit of an item's content makes a new version."""
import datetime as dt

from django.db import transaction

from core.audit import record
from orgs.models import Department

from .export import item_to_file
from .importer import import_catalog, version_audit
from .models import CONTENT_FIELDS, Item, ItemVersion
from .schema import CatalogError, validate_item

ITEM_LEVEL = ("department", "published")  # on the Item itself, not versioned


def check_edit(item, changes, effective_from):
    """(errors, record): `changes` (fields in the file's format, e.g. {"promised_limit_days": 3,
    "department": "D-CODE"}) applied to the item's latest version, validated as the importer would."""
    latest = item.current_version()
    raw = item_to_file(item, latest) if latest else {"code": item.code, "department": item.department.code}
    unknown = [key for key in changes if key not in CONTENT_FIELDS and key not in ITEM_LEVEL]
    if unknown:
        return [f"{key}: not a field an edit may change (expected one of "
                f"{', '.join(CONTENT_FIELDS + ITEM_LEVEL)})" for key in unknown], None
    raw.update(changes)
    raw["effective_from"] = effective_from.isoformat() if isinstance(effective_from, dt.date) else effective_from
    departments = Department.objects.filter(code=raw.get("department")).values_list("code", flat=True)
    return validate_item(raw, departments, latest)


def do_edit_item(item, changes, effective_from, actor, reason=""):
    """Apply `changes` to `item`: content fields make a new version effective from `effective_from`
    (not earlier than the latest version's); department / published change the item itself.
    Returns the new ItemVersion, or None when the content did not change. Raises CatalogError."""
    with transaction.atomic():
        item = Item.objects.select_for_update().select_related("department").get(pk=item.pk)
        errors, rec = check_edit(item, changes, effective_from)
        if errors:
            raise CatalogError(errors)
        _update_item(item, rec, actor, reason)
        latest = item.current_version()
        if latest is not None and latest.content() == rec["content"]:
            return None
        number = latest.number + 1 if latest else 1
        version = ItemVersion.objects.create(item=item, number=number, effective_from=rec["effective_from"],
                                             **rec["content"])
        record(actor, "item.edit", "item", item.code, before=version_audit(latest) if latest else None,
               after=version_audit(version), reason=reason)
        return version


def _update_item(item, rec, actor, reason):
    department = Department.objects.get(code=rec["department"])
    before = {"department": item.department.code, "published": item.published}
    after = {"department": department.code, "published": rec["published"]}
    if before != after:
        item.department, item.published = department, rec["published"]
        item.save(update_fields=["department", "published"])
        record(actor, "item.update", "item", item.code, before=before, after=after, reason=reason)


def do_create_item(raw, actor):
    """Create one item (and its version 1) from its description in the file's format; refuses a
    code that already exists. Returns the Item. Raises CatalogError."""
    if Item.objects.filter(code=raw.get("code")).exists():
        raise CatalogError([f"item.code: {raw.get('code')!r} already exists (expected a new code; edit the item instead)"])
    import_catalog({"items": [raw]}, actor)
    return Item.objects.get(code=raw["code"])
