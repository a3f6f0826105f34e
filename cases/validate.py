"""Input validation of exchange events (DOMAIN.md, Data exchange): structure, types and times.

Pure: no database. Checks that need the catalog (item and step codes) or the client's scope are
done by cases.ingest. Each error names the field, what was wrong and what was expected.
"""
import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

MAX_BATCH = 5000
MAX_MATERIALS = 20  # names in one supplement_requested (each up to 200 characters)
FUTURE_TOLERANCE = timedelta(minutes=5)

# A case number: ASCII letters, digits and - _ . ; 1 to 64 characters, beginning and ending with a
# letter or digit. Nothing else reaches a URL, a file name or a page (docs/engine.md).
CASE_NO = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9])?\Z")
CASE_NO_EXPECTED = "1-64 ASCII letters, digits, '-', '_' or '.', beginning and ending with a letter or digit"
# A case number beginning with six digits and '-' carries a region code: it must be in the sender's scope.
REGION_PREFIX = re.compile(r"(\d{6})-")

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
LONG_TEXT = ("reason", "opinion")  # up to 2,000 characters; other strings up to 200
MAX_INSTANT = 40  # characters of an occurred_at or as_of


def _text(name, limit):
    """The most characters a field can take in an event's JSON text: its name and its value of at most
    `limit` characters, with quotes, colon, comma and a space."""
    return len(name) + 8 + limit


def _max_chars(name, kind):
    if kind == "str":
        return _text(name, 2000 if name in LONG_TEXT else 200)
    if isinstance(kind, tuple):
        return _text(name, max(map(len, kind)))
    if kind in ("int", "money"):
        return _text(name, 20)
    if kind == "list_of_str":
        return _text(name, MAX_MATERIALS * (200 + 4))
    return _text(name, sum(_text(key, 100) for key in ("name", "id_number", "phone")))  # applicant


MAX_EVENT_CHARS = (2 + _text("event_id", 100) + _text("case_no", 64) + _text("type", max(map(len, FIELDS)))
                   + _text("occurred_at", MAX_INSTANT)
                   + max(sum(_max_chars(name, kind) for name, (kind, _) in spec.items()) for spec in FIELDS.values()))
# The largest body a batch of MAX_BATCH events within those limits can take, every character counted at
# 3 bytes (UTF-8 of a Chinese character; JSON written with \\u escapes takes twice that for them), and
# the {"events": []} around it. POST /api/v1/events accepts bodies up to this size (cases.middleware).
MAX_BODY_BYTES = MAX_BATCH * 3 * (MAX_EVENT_CHARS + 2) + 1024  # 65.8 MB


class EventError(ValueError):
    pass


def earliest():
    """The earliest instant an event (or an as_of) may name: local midnight (TIME_ZONE) starting the
    day settings.EVENTS_EARLIEST (env EVENTS_EARLIEST, default 2000-01-01)."""
    floor = _floor[0]
    if floor is None:
        day = date.fromisoformat(str(settings.EVENTS_EARLIEST))
        floor = _floor[0] = datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(settings.TIME_ZONE))
    return floor


_floor = [None]  # earliest(), worked out once (every event asks: settings' look-ups cost more than the check)


@receiver(setting_changed)
def _forget_floor(setting, **kwargs):
    if setting in ("EVENTS_EARLIEST", "TIME_ZONE"):
        _floor[0] = None


def parse_instant(value, field="occurred_at", latest=None):
    """An aware datetime from ISO 8601 text with an offset, not before earliest() nor after `latest`."""
    if not isinstance(value, str):
        raise EventError(f"{field}: expected an ISO 8601 timestamp string with an offset, got {type(value).__name__}")
    if len(value) > MAX_INSTANT or "\x00" in value:
        raise EventError(f"{field}: {value[:40]!r} is not an ISO 8601 timestamp (expected e.g. 2025-09-30T09:10:00+08:00)")
    try:
        instant = datetime.fromisoformat(value)  # Python 3.11 reads a trailing Z as +00:00
    except ValueError:
        raise EventError(f"{field}: {value!r} is not an ISO 8601 timestamp (expected e.g. 2025-09-30T09:10:00+08:00)")
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise EventError(f"{field}: {value!r} has no UTC offset (expected e.g. 2025-09-30T09:10:00+08:00)")
    year, floor = instant.year, earliest()
    if year in (1, 9999):
        try:
            instant.astimezone(timezone.utc)  # year 1 east of UTC, year 9999 west of it: not an instant Python can hold
        except OverflowError:
            raise EventError(f"{field}: {value!r} is outside the instants accepted "
                             f"(from {settings.EVENTS_EARLIEST} to the present)")
    # comparing instants of two zones costs more than the rest of the check: the year decides most
    too_early = year <= floor.year + 1 and instant < floor
    too_late = latest is not None and instant > latest
    if too_early:
        raise EventError(f"{field}: {value!r} is before {settings.EVENTS_EARLIEST} (the earliest instant accepted)")
    if too_late:
        raise EventError(f"{field}: {value!r} is later than {latest.isoformat(timespec='seconds')} (the latest accepted)")
    return instant


def _check_str(name, value, max_len=200):
    if not isinstance(value, str) or not value or value.isspace():  # isspace: what strip() would strip
        raise EventError(f"{name}: expected a non-empty string, got {_kind(value)}")
    if len(value) > max_len:
        raise EventError(f"{name}: longer than {max_len} characters")
    if "\x00" in value:  # no text column of PostgreSQL can hold it
        raise EventError(f"{name}: contains a NUL character (\\u0000)")
    return value


def _kind(value):
    """What a JSON value is, for an error message (never the value itself: it may be huge or deep)."""
    if isinstance(value, str):
        return "an empty string" if not value.strip() else "a string"
    return {bool: "a boolean", int: "a number", float: "a number", list: "an array", dict: "an object",
            type(None): "null"}.get(type(value), type(value).__name__)


class Latest(NamedTuple):
    instant: datetime  # now + FUTURE_TOLERANCE
    near: int  # the ordinal of the day before its UTC day


def latest_instant(now):
    """The latest occurred_at an event arriving `now` may carry."""
    instant = now + FUTURE_TOLERANCE
    return Latest(instant, instant.astimezone(timezone.utc).toordinal() - 1)


def _check_field(name, kind, value):
    if kind == "str":
        return _check_str(name, value, 2000 if name in ("reason", "opinion") else 200)
    if isinstance(kind, tuple):
        if not isinstance(value, str) or value not in kind:
            shown = repr(value[:40]) if isinstance(value, str) else _kind(value)
            raise EventError(f"{name}: {shown} is not one of {', '.join(kind)}")
        return value
    if kind == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            raise EventError(f"{name}: expected a whole number of working days, got {_kind(value)}")
        return value
    if kind == "money":
        if not isinstance(value, str) or len(value) > 20:
            raise EventError(f"{name}: expected a decimal string in yuan such as \"120.00\", got {_kind(value)}")
        try:
            amount = Decimal(value)
        except InvalidOperation:
            raise EventError(f"{name}: {value!r} is not a decimal amount (expected e.g. \"120.00\")")
        if not amount.is_finite() or amount < 0 or amount.as_tuple().exponent < -2:
            raise EventError(f"{name}: {value!r} must be a non-negative amount with at most 2 decimals")
        return value
    if kind == "list_of_str":
        if not isinstance(value, list) or not value or len(value) > MAX_MATERIALS:
            raise EventError(f"{name}: expected a list of 1 to {MAX_MATERIALS} material names, got {_kind(value)}")
        for i, material in enumerate(value):
            _check_str(f"{name}[{i}]", material, 200)
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


def validate_event(raw, now, latest=None):
    """Check one event; return (occurred_at, data) where data holds the type's fields, or raise EventError.
    `latest` is latest_instant(now), which a caller checking many events works out once."""
    if not isinstance(raw, dict):
        raise EventError("event: expected a JSON object")
    for name in COMMON:
        if name not in raw or raw[name] in (None, ""):
            raise EventError(f"{name}: missing (required on every event)")
    _check_str("event_id", raw["event_id"], 100)
    case_no = raw["case_no"]
    if not isinstance(case_no, str) or not CASE_NO.match(case_no):  # a match is a non-blank str of ≤ 64, no NUL
        _check_str("case_no", case_no, 64)
        raise EventError(f"case_no: {case_no!r} is not a case number (expected {CASE_NO_EXPECTED})")
    kind = raw["type"]
    if not isinstance(kind, str) or kind not in FIELDS:
        shown = repr(kind[:40]) if isinstance(kind, str) else _kind(kind)
        raise EventError(f"type: {shown} is not an event type (expected one of {', '.join(FIELDS)})")
    occurred_at = parse_instant(raw["occurred_at"])
    latest = latest or latest_instant(now)
    # instants of two zones compare slowly (~2 µs); a day two before the latest's UTC day is earlier in any zone
    if occurred_at.toordinal() >= latest.near and occurred_at > latest.instant:
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
