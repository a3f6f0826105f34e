"""Validation of the catalog file (DOMAIN.md, "Catalog"; the format is documented in docs/catalog.md).

`validate(data, known)` reads the whole file and returns (errors, catalog): every error found, each
as one line "JSON path: problem (expected …)", and the file's records normalised (defaults filled
in, dates parsed, amounts written with two decimals). `known` says which codes the database already
holds, so that a file may refer to regions, halls and departments it does not define itself.

No database access here: the importer (catalog.importer) gathers `Known` and writes.
"""
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from catalog.models import Item, ItemKind, ItemVersion
from orgs.models import Department, Hall, HallKind, Region, RegionLevel, Window

SECTIONS = ("regions", "halls", "departments", "windows", "items")
LEVEL_RANK = {RegionLevel.LEAGUE: 0, RegionLevel.COUNTY: 1, RegionLevel.TOWNSHIP: 2, RegionLevel.COMMUNITY: 3}
MAX_DAYS = 32767  # the column is a small integer
DAYS = "a whole number of working days >= 0"
DATE = "a date written YYYY-MM-DD"
TEXT = "a text (may be empty)"
BOOL = "true or false"
AMOUNT = 'a decimal string in yuan >= 0 with at most 2 decimals, e.g. "12.50"'
CODE_RE = re.compile(r"^[^\s/]+$")

REGION_FIELDS = (("code", "name", "level", "parent"), ())
HALL_FIELDS = (("code", "name", "kind", "region"), ("address", "phone", "hours"))
DEPARTMENT_FIELDS = (("code", "name", "region"), ("email",))
WINDOW_FIELDS = (("code", "name", "hall", "department"), ())
ITEM_FIELDS = (
    ("code", "name", "department", "kind", "legal_basis", "legal_limit_days", "promised_limit_days", "steps",
     "fees", "materials", "process", "location", "consult_phone", "complaint_phone", "effective_from"),
    ("warn_days", "max_extension_days", "free", "result", "published"),
)
STEP_FIELDS = (("code", "name", "limit_days", "responsible", "duties"), ("required", "kind", "responsible_person"))
# A step's optional kind: which steps separation of duties opposes (cases.rules.STEP_KINDS; catalog
# sits below cases, so the values are repeated here and a test keeps the two lists equal).
STEP_KINDS = ("handle", "review", "approve")
FEE_FIELDS = (("code", "name", "max_amount", "basis"), ())
MATERIAL_FIELDS = (("name", "copies", "required"), ())


class CatalogError(Exception):
    """The catalog (or an edit of an item) was refused; `errors` lists every reason, one line each."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


@dataclass
class Known:
    """What the database already holds, for codes the file refers to without defining them."""

    regions: dict = field(default_factory=dict)  # code -> (parent code or None, level)
    halls: set = field(default_factory=set)
    departments: set = field(default_factory=set)
    items: dict = field(default_factory=dict)  # code -> its latest ItemVersion (or anything with
    # .number, .effective_from and .content())


@dataclass
class Catalog:
    """The file's records, normalised. Only meaningful when validate() returned no errors."""

    regions: list = field(default_factory=list)
    halls: list = field(default_factory=list)
    departments: list = field(default_factory=list)
    windows: list = field(default_factory=list)
    items: list = field(default_factory=list)  # {code, department, published, effective_from, content}


def _max(model, name):
    return model._meta.get_field(name).max_length


def _json_type(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return value and "true" or "false"
    return {str: "a string", int: "a number", float: "a number", dict: "an object", list: "an array"}.get(
        type(value), type(value).__name__)


class Checker:
    """Reads values out of JSON objects, noting an error for each one that is missing or wrong."""

    def __init__(self):
        self.errors = []

    def error(self, path, problem, expected):
        self.errors.append(f"{path}: {problem} (expected {expected})")

    def obj(self, value, path, spec):
        required, optional = spec
        if not isinstance(value, dict):
            self.error(path, f"{_json_type(value)} instead of an object", "an object with " + ", ".join(required))
            return False
        for key in value:
            if key not in required and key not in optional:
                self.error(f"{path}.{key}", "unknown field", "only " + ", ".join(required + optional))
        return True

    def _get(self, obj, key, path, expected, default):
        """(present, value); notes 'missing' when the key is required (default is ...)."""
        if key in obj:
            return True, obj[key]
        if default is ...:
            self.error(f"{path}.{key}", "missing", expected)
            return False, None
        return False, default

    def code(self, obj, key, path, max_length, *, nullable=False):
        expected = f"a code of 1 to {max_length} characters without spaces or '/'"
        if nullable:
            expected += ", or null"
        present, value = self._get(obj, key, path, expected, ...)
        if not present or (nullable and value is None):
            return None
        if not isinstance(value, str):
            self.error(f"{path}.{key}", f"{_json_type(value)} instead of a string", expected)
        elif not value or len(value) > max_length or not CODE_RE.match(value):
            self.error(f"{path}.{key}", f"malformed code {value!r}", expected)
        else:
            return value
        return None

    def text(self, obj, key, path, max_length=None, *, blank=True, default=...):
        expected = "a non-empty text" if not blank else TEXT
        if max_length:
            expected += f" of at most {max_length} characters"
        present, value = self._get(obj, key, path, expected, default)
        if not present:
            return value
        if not isinstance(value, str):
            self.error(f"{path}.{key}", f"{_json_type(value)} instead of a string", expected)
        elif not blank and not value.strip():
            self.error(f"{path}.{key}", "empty", expected)
        elif max_length and len(value) > max_length:
            self.error(f"{path}.{key}", f"too long ({len(value)} characters)", expected)
        else:
            return value
        return None

    def choice(self, obj, key, path, choices):
        expected = "one of " + ", ".join(choices.values)
        present, value = self._get(obj, key, path, expected, ...)
        if not present:
            return None
        if value not in choices.values:
            self.error(f"{path}.{key}", f"unknown value {value!r}", expected)
            return None
        return value

    def whole(self, obj, key, path, *, minimum=0, expected=DAYS, default=...):
        present, value = self._get(obj, key, path, expected, default)
        if not present:
            return value
        if isinstance(value, bool) or not isinstance(value, int):
            shown = "" if isinstance(value, bool) or value is None else f" {value!r}"
            self.error(f"{path}.{key}", f"{_json_type(value)}{shown} is not a whole number", expected)
        elif value < minimum:
            self.error(f"{path}.{key}", f"{value} is below {minimum}", expected)
        elif value > MAX_DAYS:
            self.error(f"{path}.{key}", f"{value} is too large", f"{expected}, at most {MAX_DAYS}")
        else:
            return value
        return None

    def boolean(self, obj, key, path, *, default=...):
        present, value = self._get(obj, key, path, BOOL, default)
        if present and not isinstance(value, bool):
            self.error(f"{path}.{key}", f"{_json_type(value)} instead of true or false", BOOL)
            return None
        return value

    def _string(self, obj, key, path, expected):
        """The required string at key, or None (with the error: missing, or not a string)."""
        present, value = self._get(obj, key, path, expected, ...)
        if present and not isinstance(value, str):
            self.error(f"{path}.{key}", f"{_json_type(value)} instead of a string", expected)
            return None
        return value

    def date(self, obj, key, path):
        value = self._string(obj, key, path, DATE)
        if value is None:
            return None
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.error(f"{path}.{key}", f"malformed date {value!r}", DATE)
        return None

    def amount(self, obj, key, path):
        value = self._string(obj, key, path, AMOUNT)
        if value is None:
            return None
        try:
            amount = Decimal(value.strip()) if re.fullmatch(r"\s*\d+(\.\d+)?\s*", value) else None
        except InvalidOperation:
            amount = None
        if amount is None:
            self.error(f"{path}.{key}", f"malformed amount {value!r}", AMOUNT)
        elif amount.as_tuple().exponent < -2:
            self.error(f"{path}.{key}", f"{value!r} has more than 2 decimals", AMOUNT)
        else:
            return str(amount.quantize(Decimal("0.01")))
        return None

    def array(self, obj, key, path, what):
        expected = f"an array of {what}"
        present, value = self._get(obj, key, path, expected, ...)
        if not present:
            return []
        if not isinstance(value, list):
            self.error(f"{path}.{key}", f"{_json_type(value)} instead of an array", expected)
            return []
        return value


# --- sections ------------------------------------------------------------------------------------

def _each(c, entries, path, fields, read):
    """[(the entry's path, read(entry, its path))] for each of `entries` that is an object with no key but
    `fields` (c.obj records what is wrong with the others)."""
    out = []
    for i, entry in enumerate(entries):
        p = f"{path}[{i}]"
        if c.obj(entry, p, fields):
            out.append((p, read(entry, p)))
    return out


def _code_name(c, entry, path, model):
    """The code and the (non-blank) name every organisation record has, as long as `model`'s columns allow."""
    return {"code": c.code(entry, "code", path, _max(model, "code")),
            "name": c.text(entry, "name", path, _max(model, "name"), blank=False)}


def _regions(c, raw):
    return _each(c, raw, "regions", REGION_FIELDS, lambda r, path: {
        **_code_name(c, r, path, Region),
        "level": c.choice(r, "level", path, RegionLevel),
        "parent": c.code(r, "parent", path, _max(Region, "code"), nullable=True),
    })


def _halls(c, raw):
    return _each(c, raw, "halls", HALL_FIELDS, lambda h, path: {
        **_code_name(c, h, path, Hall),
        "kind": c.choice(h, "kind", path, HallKind),
        "region": c.code(h, "region", path, _max(Region, "code")),
        "address": c.text(h, "address", path, _max(Hall, "address"), default=""),
        "phone": c.text(h, "phone", path, _max(Hall, "phone"), default=""),
        "hours": c.text(h, "hours", path, _max(Hall, "hours"), default=""),
    })


def _departments(c, raw):
    return _each(c, raw, "departments", DEPARTMENT_FIELDS, lambda d, path: {
        **_code_name(c, d, path, Department),
        "region": c.code(d, "region", path, _max(Region, "code")),
        "email": c.text(d, "email", path, _max(Department, "email"), default=""),
    })


def _windows(c, raw):
    return _each(c, raw, "windows", WINDOW_FIELDS, lambda w, path: {
        **_code_name(c, w, path, Window),
        "hall": c.code(w, "hall", path, _max(Hall, "code")),
        "department": c.code(w, "department", path, _max(Department, "code")),
    })


def _steps(c, item, path):
    steps = _each(c, c.array(item, "steps", path, "steps {code, name, limit_days, responsible, duties}"),
                  f"{path}.steps", STEP_FIELDS, lambda s, p: {
                      "code": c.code(s, "code", p, 40),
                      "name": c.text(s, "name", p, 100, blank=False),
                      "limit_days": c.whole(s, "limit_days", p),
                      "responsible": c.text(s, "responsible", p, 100),
                      "duties": c.text(s, "duties", p),
                      "required": c.boolean(s, "required", p, default=True),
                      **_step_kind(c, s, p),
                      **_step_person(c, s, p),
                  })
    _unique(c, steps, "code", "each step code once per item")
    return [s for _, s in steps]


def _step_kind(c, step, path):
    """{"kind": …} when the step has one; {} when it has none (absent or null), so that steps, files
    and versions made before `kind` existed stay exactly as they were."""
    value = step.get("kind")
    if value is None:
        return {}
    if value not in STEP_KINDS:
        shown = f"unknown value {value!r}" if isinstance(value, str) else f"{_json_type(value)} instead of a string"
        c.error(f"{path}.kind", shown, "one of " + ", ".join(STEP_KINDS) + ", or no kind")
        return {}
    return {"kind": value}


def _step_person(c, step, path):
    """{"responsible_person": …} when the step names its responsible person (责任人); {} when it does not
    (absent, null or blank), so that steps and versions made before the field existed stay as they were."""
    value = step.get("responsible_person")
    if value is None or (isinstance(value, str) and not value.strip()):
        return {}
    value = c.text(step, "responsible_person", path, 50)
    return {"responsible_person": value.strip()} if value is not None else {}


def _fees(c, item, path):
    fees = _each(c, c.array(item, "fees", path, "fees {code, name, max_amount, basis}"), f"{path}.fees", FEE_FIELDS,
                 lambda f, p: {
                     "code": c.code(f, "code", p, 40),
                     "name": c.text(f, "name", p, 100, blank=False),
                     "max_amount": c.amount(f, "max_amount", p),
                     "basis": c.text(f, "basis", p),
                 })
    _unique(c, fees, "code", "each fee code once per item")
    return [f for _, f in fees]


def _materials(c, item, path):
    materials = _each(c, c.array(item, "materials", path, "materials {name, copies, required}"), f"{path}.materials",
                      MATERIAL_FIELDS, lambda m, p: {
                          "name": c.text(m, "name", p, 200, blank=False),
                          "copies": c.whole(m, "copies", p, minimum=1, expected="a whole number of copies >= 1"),
                          "required": c.boolean(m, "required", p),
                      })
    return [m for _, m in materials]


def item_record(c, raw, path):
    """One item of the file, normalised: {code, department, published, effective_from, content}.
    Returns None when `raw` is not an object at all; records its errors in `c`."""
    if not c.obj(raw, path, ITEM_FIELDS):
        return None
    v = ItemVersion
    content = {
        "name": c.text(raw, "name", path, _max(v, "name"), blank=False),
        "kind": c.choice(raw, "kind", path, ItemKind),
        "legal_basis": c.text(raw, "legal_basis", path),
        "legal_limit_days": c.whole(raw, "legal_limit_days", path),
        "promised_limit_days": c.whole(raw, "promised_limit_days", path),
        "warn_days": c.whole(raw, "warn_days", path, default=2),
        "max_extension_days": c.whole(raw, "max_extension_days", path, default=10),
        "steps": _steps(c, raw, path),
        "fees": _fees(c, raw, path),
        "free": c.boolean(raw, "free", path, default=False),
        "materials": _materials(c, raw, path),
        "process": c.text(raw, "process", path),
        "result": c.text(raw, "result", path, _max(v, "result"), default=""),
        "location": c.text(raw, "location", path, _max(v, "location")),
        "consult_phone": c.text(raw, "consult_phone", path, _max(v, "consult_phone")),
        "complaint_phone": c.text(raw, "complaint_phone", path, _max(v, "complaint_phone")),
    }
    _item_limits(c, content, path)
    return {
        "code": c.code(raw, "code", path, _max(Item, "code")),
        "department": c.code(raw, "department", path, _max(Department, "code")),
        "published": c.boolean(raw, "published", path, default=True),
        "effective_from": c.date(raw, "effective_from", path),
        "content": content,
    }


def _item_limits(c, content, path):
    legal, promised = content["legal_limit_days"], content["promised_limit_days"]
    if legal is not None and promised is not None and promised > legal:
        c.error(f"{path}.promised_limit_days", f"promised limit {promised} is above the legal limit {legal}",
                "promised_limit_days <= legal_limit_days")
    limits = [s["limit_days"] for s in content["steps"]]
    if promised is not None and None not in limits and sum(limits) > promised:
        c.error(f"{path}.steps", f"the steps' limits add up to {sum(limits)} working days, more than the "
                f"promised limit {promised}", "a sum of steps[].limit_days <= promised_limit_days")
    if content["free"] and content["fees"]:
        c.error(f"{path}.free", f"true, but {len(content['fees'])} fee(s) are listed",
                "free: true only for an item with no fees")


def _items(c, raw, known):
    out = []
    for i, raw_item in enumerate(raw):
        path = f"items[{i}]"
        before = len(c.errors)
        record = item_record(c, raw_item, path)
        if record is not None:
            out.append((path, record))
            if len(c.errors) == before:
                version_order(c, record, known.items.get(record["code"]), path)
    return out


def version_order(c, record, latest, path):
    """Changed content becomes a new version; it may not take effect before the latest one does."""
    if latest is None or record["content"] == latest.content():
        return
    if record["effective_from"] < latest.effective_from:
        c.error(f"{path}.effective_from",
                f"{record['effective_from']} is earlier than the latest version v{latest.number}, in force from "
                f"{latest.effective_from}; changed content needs a new version",
                f"a date on or after {latest.effective_from}")


# --- references across sections and to the database --------------------------------------------

def _unique(c, records, key, expected):
    seen = {}
    for path, rec in records:
        code = rec[key]
        if code is None:
            continue
        if code in seen:
            c.error(f"{path}.{key}", f"duplicate {key} {code!r}, already at {seen[code]}", expected)
        else:
            seen[code] = path


def _refer(c, records, key, codes, what):
    for path, rec in records:
        code = rec[key]
        if code is not None and code not in codes:
            c.error(f"{path}.{key}", f"unknown {what} {code!r}",
                    f"the code of a {what} in this file or already in the database")


def _region_tree(c, regions, known):
    """Parents exist, levels go down the tree, and the tree (file over database) has no cycle."""
    parents = {code: parent for code, (parent, _) in known.regions.items()}
    levels = {code: level for code, (_, level) in known.regions.items()}
    for _, r in regions:
        if r["code"] is not None:
            parents[r["code"]], levels[r["code"]] = r["parent"], r["level"]
    for path, r in regions:
        parent = r["parent"]
        if parent is None or r["code"] is None:
            continue
        if parent not in parents:
            c.error(f"{path}.parent", f"unknown region {parent!r}",
                    "the code of a region in this file or already in the database, or null for a root")
        elif r["level"] and levels.get(parent) and LEVEL_RANK[r["level"]] <= LEVEL_RANK[levels[parent]]:
            c.error(f"{path}.level", f"{r['level']!r} is not below its parent's level {levels[parent]!r}",
                    "a level below the parent's (league > county > township > community)")
    _cycles(c, regions, parents)


def _cycles(c, regions, parents):
    reported = set()
    for path, r in regions:
        chain, node = [], r["code"]
        while node is not None and node in parents and node not in chain:
            chain.append(node)
            node = parents[node]
        if node is not None and node in chain and node not in reported:
            loop = chain[chain.index(node):]
            reported.update(loop)
            c.error(f"{path}.parent", "region cycle " + " → ".join(loop + [node]),
                    "a chain of parents that ends at a root region (parent null)")


def validate(data, known=None):
    """(errors, Catalog) for the parsed JSON `data` of a catalog file."""
    known = known or Known()
    c = Checker()
    if not isinstance(data, dict):
        c.error("(file)", f"{_json_type(data)} instead of an object", "an object with " + ", ".join(SECTIONS))
        return c.errors, Catalog()
    for key in data:
        if key not in SECTIONS:
            c.error(key, "unknown section", "only " + ", ".join(SECTIONS))
    raw = {}
    for name in SECTIONS:
        raw[name] = data.get(name, [])
        if not isinstance(raw[name], list):
            c.error(name, f"{_json_type(raw[name])} instead of an array", f"an array of {name}")
            raw[name] = []
    regions, halls = _regions(c, raw["regions"]), _halls(c, raw["halls"])
    departments, windows = _departments(c, raw["departments"]), _windows(c, raw["windows"])
    items = _items(c, raw["items"], known)
    for records in (regions, halls, departments, windows, items):
        _unique(c, records, "code", "each code once per section of the file")
    _region_tree(c, regions, known)
    region_codes = set(known.regions) | {r["code"] for _, r in regions}
    _refer(c, halls, "region", region_codes, "region")
    _refer(c, departments, "region", region_codes, "region")
    _refer(c, windows, "hall", known.halls | {h["code"] for _, h in halls}, "hall")
    department_codes = known.departments | {d["code"] for _, d in departments}
    _refer(c, windows, "department", department_codes, "department")
    _refer(c, items, "department", department_codes, "department")
    catalog = Catalog(*[[rec for _, rec in records] for records in (regions, halls, departments, windows, items)])
    return c.errors, catalog


def validate_item(raw, departments, latest=None, path="item"):
    """(errors, record) for one item in the file's format; `departments`: the known department codes;
    `latest`: the item's latest version, if it has one."""
    c = Checker()
    record = item_record(c, raw, path)
    if record is not None:
        _refer(c, [(path, record)], "department", set(departments), "department")
        if not c.errors:
            version_order(c, record, latest, path)
    return c.errors, record
