"""Event ingest: validate a batch, store the valid events once, keep the rejected ones, and
recompute the projection of every case the batch touched — in one transaction. The engine's first
two steps (validate, store); recompute does the rest (docs/engine.md, "The engine's interface").

The same path serves the exchange API, the workbench and import_events: one way in.
"""
from dataclasses import dataclass, field
from datetime import timezone as dt_timezone

from django.db import transaction
from django.db.models import JSONField, Value
from django.db.models.functions import TruncDate
from django.utils import timezone

from catalog.models import Item
from catalog.versions import version_on
from core import bulk
from core.access import scope_of
from ledger import chain
from orgs.models import Department, Region
from workdays.models import load_calendar as calendar
from workdays.zone import local_date, tz

from . import applicants
from .bulk import EVENT_COLUMNS, insert_events
from .models import Case, CaseEvent, RejectedEvent
from .projection import Catalog, Known, recompute
from .reserved import is_reserved, may_write_reserved
from .validate import MAX_BATCH, REGION_PREFIX, EventError, latest_instant, validate_event

UTC = dt_timezone.utc  # stored and read back in UTC: the clock's notes then read the same either way


class BatchTooLarge(ValueError):
    pass


@dataclass
class IngestResult:
    accepted: int = 0
    duplicates: int = 0
    rejected: list = field(default_factory=list)

    def as_dict(self):
        return {"accepted": self.accepted, "duplicates": self.duplicates, "rejected": self.rejected}


@dataclass
class _Valid:
    index: int
    raw: dict
    occurred_at: object
    data: dict


def ingest(client, raw_events, *, now=None, source="api", historical=False):
    """Store and apply a batch of raw event dicts sent by `client` (an ApiClient)."""
    if len(raw_events) > MAX_BATCH:
        raise BatchTooLarge(f"events: {len(raw_events)} events in one batch; at most {MAX_BATCH} are allowed")
    now = now or timezone.now()
    result = IngestResult()
    valid, refused = [], []
    latest = latest_instant(now)
    for index, raw in enumerate(raw_events):
        try:
            occurred_at, data = validate_event(raw, now, latest)
            valid.append(_Valid(index, raw, occurred_at, data))
        except EventError as err:
            refused.append((index, raw, str(err)))
    valid = _refuse_reserved_numbers(client, source, valid, refused)
    catalog = Catalog()
    valid = _check_against_catalog(client, valid, refused, catalog)
    result.rejected = [{"index": i, "event_id": _event_id(raw), "error": err}
                       for i, raw, err in sorted(refused, key=lambda r: r[0])]
    cal = calendar()
    late = _late_arrival(cal, now)
    arrived = now.astimezone(UTC)  # as the database gives it back (the ledger chains the values written)
    found = applicants.rows(_take_applicants(valid))  # personal data: not in the events, nor in the ledger
    rows = [_event_row(client, v, arrived, source, historical, late) for v in valid]
    # what recompute need not find again: with the ORM path (core.bulk.orm_path) it reads everything back
    known = None if bulk.plain() else Known.before_storing(rows, now, catalog, cal)
    # Everything above runs before the transaction: on SQLite it holds the database's one write lock.
    with transaction.atomic(), chain.block():  # one ledger block for all the transaction writes
        stored, ids = insert_events(rows)  # the rest were stored before: duplicates
        result.accepted, result.duplicates = stored, len(rows) - stored
        _ledger_events(rows, ids, stored)
        applicants.store(found)
        review = RejectedEvent.objects.bulk_create([
            RejectedEvent(client=client, source=source, index=i, payload=reviewable(applicants.masked(raw)),
                          error=err, event_id=_event_id(raw))
            for i, raw, err in refused
        ])
        chain.append_saved(RejectedEvent, [r.pk for r in review])
        if stored:
            recompute({v.raw["case_no"] for v in valid}, now, known.stored(ids, stored) if known else None)
    return result


def _take_applicants(valid):
    """Take the applicant out of each event's data: [(case_no, applicant)] in the order they occurred."""
    found = []
    for v in valid:
        v.data, applicant = applicants.take(v.data)
        if applicant:
            found.append((v.occurred_at, v.raw["case_no"], applicant))
    found.sort(key=lambda f: f[0])
    return [(case_no, applicant) for _, case_no, applicant in found]


def _ledger_events(rows, ids, stored):
    """Append the stored events to the ledger as written: the tuples handed to the bulk writer, with
    their ids (instants in UTC). When some were duplicates, one query tells which ids were used."""
    if not stored:
        return
    pairs = zip(ids, rows)
    if stored != len(rows):
        used = set(CaseEvent.all_events.filter(pk__anyof=ids).values_list("pk", flat=True))
        pairs = [(pk, row) for pk, row in zip(ids, rows) if pk in used]
    chain.append_rows(CaseEvent, EVENT_COLUMNS, [(pk, *row) for pk, row in pairs])


def _event_id(raw):
    """The event_id a refused event gave, as the reply and the review show it ('' unless a string)."""
    value = raw.get("event_id", "") if isinstance(raw, dict) else ""
    return value[:100].replace("\x00", "\\u0000") if isinstance(value, str) else ""


MAX_REVIEW_DEPTH = 32


def reviewable(raw):
    """A refused payload as RejectedEvent can store it: the value itself, except that a NUL character
    (no PostgreSQL text or jsonb can hold it) is kept as the six characters \\u0000, and arrays and
    objects nested deeper than MAX_REVIEW_DEPTH are cut there (marked "…"): JSON encoders and
    PostgreSQL stop at a few hundred levels."""
    if raw is None:  # JSON null itself (a bare None would be SQL NULL, which the column refuses)
        return Value(None, JSONField())
    return _reviewable(raw, MAX_REVIEW_DEPTH)


def _reviewable(value, depth):
    if isinstance(value, str):
        return value.replace("\x00", "\\u0000")
    if isinstance(value, (list, dict)) and depth == 0:
        return "…"
    if isinstance(value, list):
        return [_reviewable(v, depth - 1) for v in value]
    if isinstance(value, dict):
        return {_reviewable(str(k), depth): _reviewable(v, depth - 1) for k, v in value.items()}
    if value is None or isinstance(value, (int, float, bool)):
        return value
    return repr(value)


def _event_row(client, v, now, source, historical, late):
    """One row in cases.bulk.EVENT_COLUMNS order."""
    return (client.pk, source, v.raw["event_id"], v.raw["case_no"], v.raw["type"], v.occurred_at.astimezone(UTC),
            now, v.data, historical, False if historical else late(v.occurred_at))


def _late_arrival(cal, now):
    """occurred_at -> whether an event arriving `now` comes more than one working day after the day it
    occurred (the day of arrival worked out once per batch)."""
    arrived, zone = local_date(now), tz()
    return lambda occurred_at: cal.wd_between(occurred_at.astimezone(zone).date(), arrived) > 1


def _refuse_reserved_numbers(client, source, valid, refused):
    """Case numbers of the workbench's form (cases.reserved) are written by the workbench alone."""
    if may_write_reserved(client, source):
        return valid
    kept = []
    for v in valid:
        if is_reserved(v.raw["case_no"]):
            refused.append((v.index, v.raw, f"case_no: {v.raw['case_no']!r} has the form of the online "
                            "workbench's numbers (<region>-<yyyymmdd>-W<digits>), which only the workbench issues"))
        else:
            kept.append(v)
    return kept


def _check_against_catalog(client, valid, refused, catalog):
    """Item and step codes must exist; the case must be in the client's scope."""
    scope = scope_of(client)
    case_nos = {v.raw["case_no"] for v in valid}
    known = (Case.objects.filter(case_no__anyof=case_nos, item__isnull=False, received_at__isnull=False)
             .values_list("case_no", "item_id", TruncDate("received_at", tzinfo=tz()))) if case_nos else []
    item_codes = {v.data["item_code"] for v in valid if v.raw["type"] == "received"}
    catalog.load(item_codes, ids={item_id for _, item_id, _ in known})
    items, versions = catalog.items, catalog.versions
    # Which item (and receipt date) each case has: from the database, else from a 'received' in this batch.
    case_item = {no: (catalog.by_pk[item_id].code, received_on) for no, item_id, received_on in known}
    visible = set(Item.objects.filter(pk__in=[i.pk for i in items.values()]).filter(scope.q(Item))
                  .values_list("code", flat=True))
    for v in sorted((v for v in valid if v.raw["type"] == "received"), key=lambda v: v.occurred_at):
        if v.raw["case_no"] not in case_item and v.data["item_code"] in items:
            case_item[v.raw["case_no"]] = (v.data["item_code"], local_date(v.occurred_at))
    squatted = _foreign_region_prefixes(scope, case_nos)
    kept = []
    for v in valid:
        error = squatted.get(v.raw["case_no"]) or _catalog_error(v, items, visible, versions, case_item)
        if error:
            refused.append((v.index, v.raw, error))
        else:
            kept.append(v)
    return kept


def _foreign_region_prefixes(scope, case_nos):
    """{case_no: error} of the numbers that begin with a region code ('152502-…') outside the client's
    scope: its region's subtree, or the regions of its departments (each by its first six digits). No client can take another
    region's numbers before that region's own systems send them."""
    prefixed = {}
    for no in case_nos:
        match = REGION_PREFIX.match(no)
        if match:
            prefixed[no] = match.group(1)
    if not prefixed or scope.everything:
        return {}
    codes = set(prefixed.values())
    # A number carries six digits: a township's (9 digits) or a village's (12) own numbers carry the
    # code of their county, the first six digits of theirs.
    if scope.region_path:
        allowed = {code for (code,) in Region.objects.filter(code__in=codes, path__startswith=scope.region_path)
                   .values_list("code")} | {scope.region_path.rstrip("/").rsplit("/", 1)[-1][:6]}
    else:
        allowed = {code[:6] for code in Department.objects.filter(pk__in=scope.department_ids)
                   .values_list("region_id", flat=True)}
    return {no: f"case_no: {no!r} begins with region code {code}, outside the regions this API key may report for "
                f"(expected a number of its own region{'s' if not scope.region_path else ' or those under it'})"
            for no, code in prefixed.items() if code not in allowed}


def _catalog_error(v, items, visible, versions, case_item):
    if v.raw["type"] == "received" and v.data["item_code"] not in items:
        return f"item_code: unknown item {v.data['item_code']!r} (expected a code of the power list)"
    known = case_item.get(v.raw["case_no"])
    if known is None:
        return None  # held until its 'received' arrives
    code, received_on = known
    if code not in visible:
        return f"case_no: case {v.raw['case_no']!r} (item {code}) is outside the departments this API key may report for"
    if v.raw["type"] == "received" and items[v.data["item_code"]].department_id != items[code].department_id:
        return (f"item_code: case {v.raw['case_no']!r} was received for item {code} of another department; "
                f"a 'received' for item {v.data['item_code']} cannot change it")
    if v.raw["type"] in ("step_started", "step_completed"):
        version = version_on(versions.get(code, []), received_on)
        steps = [s["code"] for s in version.steps] if version else []
        if v.data["step"] not in steps:
            return f"step: unknown step {v.data['step']!r} for item {code} (expected one of {', '.join(steps) or 'none'})"
    return None
