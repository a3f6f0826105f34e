import copy
import json
from pathlib import Path

import pytest

from catalog.export import export_catalog
from catalog.importer import import_catalog
from catalog.models import Item, ItemVersion
from core.models import AuditEntry
from orgs.models import Department, Hall, Region, Window

SMALL = json.loads((Path(__file__).parent / "data" / "small_catalog.json").read_text(encoding="utf-8"))


@pytest.fixture
def small():
    """A fresh copy of catalog/tests/data/small_catalog.json, to change at will."""
    return copy.deepcopy(SMALL)


@pytest.fixture
def imported(db, small):
    """The database after importing the small catalog."""
    return import_catalog(small, "test")


def db_state():
    """Everything an import could change, to compare before and after."""
    return {
        "catalog": export_catalog(),
        "counts": [m.objects.count() for m in (Region, Hall, Department, Window, Item, ItemVersion)]
                  + [AuditEntry.objects.exclude(action="calendar.seed").count()],  # migrate seeds the calendar
    }

