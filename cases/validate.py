"""Input validation of exchange events (DOMAIN.md, Data exchange): structure, types and times.

Pure: no database. Checks that need the catalog (item and step codes) or the client's scope are
done by cases.ingest. Each error names the field, what was wrong and what was expected.
"""
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

MAX_BATCH = 5000
FUTURE_TOLERANCE = timedelta(minutes=5)

CHANNELS = ("window", "online", "mail")
SUSPEND_KINDS = ("special_procedure", "other")
RESULTS = ("approved", "denied")

# type -> {field: (kind, required)}; kind: str, int, money, list_of_str, applicant, choice:<a|b>
FIELDS = {
    "received": {"item_code": ("str", True), "window": ("str", False), "staff": ("str", False),
                 "channel": (CHANNELS, False), "applicant": ("applicant", False)},
    "supplement_requested": {"materials": ("list_of_str", True)},
    "supplement_received": {},
    "accepted": {"staff": ("str", True)},
    "rejected": {"staff": ("str", True), "reason": ("str", True)},
    "step_started": {"step": ("str", True), "staff": ("str", True), "opinion": ("str", False)},
    "step_completed": {"step": ("str", True), "staff": ("str", True), "opinion": ("str", False)},
    "suspended": {"kind": (SUSPEND_KINDS, True), "reason": ("str", True)},
    "resumed": {},
    "extended": {"days": ("int", True), "approved_by": ("str", False), "reason": ("str", True)},
    "fee_charged": {"fee_code": ("str", True), "amount": ("money", True)},
    "completed": {"result": (RESULTS, True), "staff": ("str", True)},
    "withdrawn": {"reason": ("str", True)},
}
COMMON = ("event_id", "case_no", "type", "occurred_at")


class EventError(ValueError):
    pass


def parse_instant(value, field="occurred_at"):
    if not isinstance(value, str):
        raise EventError(f"{field}: expected an ISO 8601 timestamp string with an offset, got {type(value).__name__}")
    try:
        instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise EventError(f"{field}: {value!r} is not an ISO 8601 timestamp (expected e.g. 2025-09-30T09:10:00+08:00)")
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise EventError(f"{field}: {value!r} has no UTC offset (expected e.g. 2025-09-30T09:10:00+08:00)")
    return instant


def _check_str(name, value, max_len=200):
    if not isinstance(value, str) or not value.strip():
        raise EventError(f"{name}: expected a non-empty string")
    if len(value) > max_len:
        raise EventError(f"{name}: longer than {max_len} characters")
    return value


def _check_field(name, kind, value):
    if kind == "str":
        return _check_str(name, value, 2000 if name in ("reason", "opinion") else 200)
    if isinstance(kind, tuple):
        if value not in kind:
            raise EventError(f"{name}: {value!r} is not one of {', '.join(kind)}")
        return value
    if kind == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            raise EventError(f"{name}: expected a whole number of working days, got {value!r}")
        return value
    if kind == "money":
        if not isinstance(value, str):
            raise EventError(f"{name}: expected a decimal string in yuan such as \"120.00\", got {value!r}")
        try:
            amount = Decimal(value)
        except InvalidOperation:
            raise EventError(f"{name}: {value!r} is not a decimal amount (expected e.g. \"120.00\")")
        if not amount.is_finite() or amount < 0 or amount.as_tuple().exponent < -2:
            raise EventError(f"{name}: {value!r} must be a non-negative amount with at most 2 decimals")
        return value
    if kind == "list_of_str":
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            raise EventError(f"{name}: expected a non-empty list of material names")
        return value
    if kind == "applicant":
        if not isinstance(value, dict):
            raise EventError(f"{name}: expected an object {{name, id_number, phone}}")
        unknown = set(value) - {"name", "id_number", "phone"}
        if unknown:
            raise EventError(f"{name}: unknown field(s) {', '.join(sorted(unknown))} (expected name, id_number, phone)")
        for key, val in value.items():
            if val is not None:
                _check_str(f"{name}.{key}", val, 100)
        return value
    raise AssertionError(kind)


def validate_event(raw, now):
    """Check one event; return (occurred_at, data) where data holds the type's fields, or raise EventError."""
    if not isinstance(raw, dict):
        raise EventError("event: expected a JSON object")
    for name in COMMON:
        if name not in raw or raw[name] in (None, ""):
            raise EventError(f"{name}: missing (required on every event)")
    _check_str("event_id", raw["event_id"], 100)
    _check_str("case_no", raw["case_no"], 64)
    kind = raw["type"]
    if kind not in FIELDS:
        raise EventError(f"type: {kind!r} is not an event type (expected one of {', '.join(FIELDS)})")
    occurred_at = parse_instant(raw["occurred_at"])
    if occurred_at > now + FUTURE_TOLERANCE:
        raise EventError(f"occurred_at: {raw['occurred_at']} is more than 5 minutes in the future")
    spec = FIELDS[kind]
    # Fields a type does not define are ignored (integrators often send more); required ones are checked.
    data = {}
    for name, (field_kind, required) in spec.items():
        if raw.get(name) is None:
            if required:
                raise EventError(f"{name}: missing (required for {kind})")
            continue
        data[name] = _check_field(name, field_kind, raw[name])
    return occurred_at, data
