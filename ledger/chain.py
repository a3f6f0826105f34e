"""Appending to the ledger (docs/ledger.md). Apps register the models whose rows are supervised
records (in their AppConfig.ready) and append them in the transaction that writes them.

The unit of the chain is a block: every record a transaction appends inside `block()` (ingest wraps
its whole transaction in one), or each append() call outside one. The hot path does per row only
what it must to keep the record: it hands over the tuples it writes; the block is serialised in one
orjson call and hashed with one SM3 call, and costs two round trips (take a lane; insert the block and
move the lane's head) per transaction, whatever its size. Per-record hashes (Merkle leaves, for proofs) are computed out of band
when the day's root is fixed (ledger.roots).

Canonical serialisation of a block's body: the JSON array of its sections, in the order appended,
each [kind, [column…], [[value…]…]] (kind: the model's label, e.g. "cases.caseevent"; columns: the
record's primary key and its registered fields, in the writer's order; one array of values per record,
in the columns' order). Compact, UTF-8, object keys sorted (orjson): instants in UTC RFC 3339 with `Z`
(microseconds when not zero), dates ISO, decimals as strings, JSON columns as their value.
A block's hash: SM3(prev hash as 32 bytes ‖ "lane\\nseq\\nat\\n" ‖ body), hex; `at` as
YYYY-MM-DDTHH:MM:SS.ffffffZ.
"""
import hashlib
import threading
from contextlib import contextmanager
from datetime import datetime
from datetime import timezone as dt_timezone
from decimal import Decimal
from operator import attrgetter

import orjson
import psycopg
from cryptography.hazmat.primitives import hashes
from django.db import connection
from django.db.models.signals import post_save
from django.utils import timezone

from .models import GENESIS, LANES

OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS
UTC = dt_timezone.utc
_KINDS = {}  # model -> (kind, [attname]) — attnames sorted, the primary key's not among them
_ONLY = {}  # model -> Q or None
_BY_KIND = {}  # kind -> model
_open = threading.local()  # .sections: the block being collected by block(), or None


def register(model, *, exclude=(), only=None, on_create=False):
    """Make `model`'s rows ledgered records: every field except `exclude` (fields that a later, itself
    recorded, step sets — e.g. CaseEvent.refusal, whose RejectedEvent is recorded).
    `only` (a Q) limits the rows that are records once written (e.g. the scores of published months).
    on_create: append each row that save() creates (post_save, in the saving transaction) — for
    append-only change rows written one at a time; their writers that bulk_create call append_saved."""
    pk = model._meta.pk.attname
    fields = sorted(f.attname for f in model._meta.concrete_fields if f.attname not in exclude and f.attname != pk)
    _KINDS[model] = (model._meta.label_lower, fields)
    _BY_KIND[model._meta.label_lower] = model
    _ONLY[model] = only
    if on_create:
        post_save.connect(_created, sender=model, dispatch_uid=f"ledger.{model._meta.label_lower}")


def _created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        append_saved(sender, [instance.pk])


def registered():
    """{model: (kind, [attname])} of every ledgered model."""
    return dict(_KINDS)


def model_of(kind):
    return _BY_KIND.get(kind)


def columns_of(model):
    """The columns a record of `model` is kept with when read back: its primary key, then its fields."""
    return [model._meta.pk.attname, *_KINDS[model][1]]


def _default(value):
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"ledger: cannot serialise {type(value).__name__}")


def dumps(value):
    """Canonical JSON bytes (the options above)."""
    return orjson.dumps(value, option=OPTIONS, default=_default)


def utc(value):
    return value.astimezone(UTC) if isinstance(value, datetime) and value.tzinfo is not None else value


def at_text(at):
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _sm3_hashlib():
    return hashlib.new("sm3")


class _Sm3Cryptography:
    """cryptography's SM3 with hashlib's interface, where Python's OpenSSL does not offer SM3 to hashlib."""

    def __init__(self):
        self._h = hashes.Hash(hashes.SM3())

    def update(self, data):
        self._h.update(data)

    def digest(self):
        return self._h.finalize()


# SM3 (GB/T 32905) from OpenSSL: through hashlib where it offers it — the same OpenSSL function as
# cryptography's hashes.SM3(), without the ~4 µs cryptography spends creating each hash object (a
# record's Merkle leaf and node are one each); the standard's vector is checked in ledger/tests.
new_sm3 = _sm3_hashlib if "sm3" in hashlib.algorithms_available else _Sm3Cryptography


def block_hash(prev, lane, seq, at, body):
    """The hex SM3 of a block (prev: hex)."""
    h = new_sm3()
    h.update(bytes.fromhex(prev))
    h.update(b"%d\n%d\n%s\n" % (lane, seq, at_text(at).encode()))
    h.update(body)
    return h.digest().hex()


@contextmanager
def block():
    """Collect what the enclosed code appends into one block, written when it ends without an error.
    Use inside the transaction (transaction.atomic) that writes the records; nested uses join the
    outer block."""
    if getattr(_open, "sections", None) is not None:
        yield
        return
    _open.sections = []
    try:
        yield
        sections, _open.sections = _open.sections, None
        if sections:
            _write(sections)
    finally:
        _open.sections = None


def append_rows(model, columns, rows):
    """Append records of `model` as the writer has them: `rows` are tuples in `columns` order, which
    hold the primary key (first) and exactly the registered fields; instants must be in UTC already."""
    if not rows:
        return
    kind, fields = _KINDS[model]
    if columns[0] != model._meta.pk.attname or len(columns) != len(fields) + 1 or set(columns[1:]) != set(fields):
        raise ValueError(f"ledger: {kind} is kept with the columns {columns_of(model)}, not {list(columns)}")
    section = [kind, list(columns), rows]
    if getattr(_open, "sections", None) is not None:
        _open.sections.append(section)
    else:
        _write([section])


def append_objects(model, objs):
    """Append model instances (their pk set) as they are in memory."""
    if not objs:
        return
    columns = columns_of(model)
    get = attrgetter(*columns)
    append_rows(model, columns, [tuple(map(utc, get(obj))) for obj in objs])


def append_saved(model, pks):
    """Append rows of `model` read back from the database (one query): for the writers off the hot
    path, so that what is chained is exactly what verify_ledger will read."""
    pks = sorted(pks)
    if pks:
        append_rows(model, columns_of(model), list(stored(model, pks)))


def stored(model, pks=None):
    """Tuples (columns_of(model) order, instants in UTC) of the table's rows in pk order, as
    verify_ledger reads them; streamed. Without pks: every row that is a record (`only`)."""
    columns = columns_of(model)
    qs = model._base_manager.order_by(columns[0])
    if pks is not None:
        qs = qs.filter(pk__in=pks)
    elif _ONLY.get(model) is not None:
        qs = qs.filter(_ONLY[model])
    for row in qs.values_list(*columns).iterator(chunk_size=5000):
        yield tuple(map(utc, row))


def _write(sections):
    """One block of `sections` in a lane this transaction takes: serialised once, hashed once."""
    body = dumps(sections)
    at = timezone.now()
    with connection.cursor() as cursor:
        lane, seq, head = _take_lane(cursor)
        seq += 1
        digest = block_hash(head, lane, seq, at, body)
        records = sum(len(s[2]) for s in sections)
        insert = ("INSERT INTO ledger_block (lane, seq, at, body, records, prev, hash, records_root) "
                  "VALUES (%s, %s, %s, %s, %s, %s, %s, '')")
        head_moves = "UPDATE ledger_lane SET seq = %s, head = %s WHERE number = %s"
        if connection.vendor == "postgresql":  # one round trip for both; the body as a bound parameter
            _bound_execute(f"WITH block AS ({insert}) {head_moves}",
                           [lane, seq, at, body.decode(), records, head, digest, seq, digest, lane])
        else:
            cursor.execute(insert, [lane, seq, connection.ops.adapt_datetimefield_value(at), body.decode(), records,
                                    head, digest])
            cursor.execute(head_moves, [seq, digest, lane])


def _bound_execute(sql, params):
    """Execute with the parameters bound by the server (psycopg's own cursor), not spliced into the
    statement's text as Django's client-side binding does: a block's body (about 360 KB a batch of 1,000
    events) is then neither escaped by the client nor scanned as a literal by the server's parser,
    which had cost about 3 ms of CPU a batch between them."""
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params)


def _take_lane(cursor):
    """(number, seq, head) of a lane this transaction now holds. PostgreSQL: the lowest lane no other
    transaction holds (FOR UPDATE SKIP LOCKED: never waits); when all are held, wait for one chosen by
    the connection's process id. SQLite has one writer at a time: lane 0."""
    for _ in range(2):
        if connection.vendor == "postgresql":
            cursor.execute("SELECT number, seq, head FROM ledger_lane ORDER BY number FOR UPDATE SKIP LOCKED LIMIT 1")
            row = cursor.fetchone()
            if row is None:
                cursor.execute("SELECT number, seq, head FROM ledger_lane WHERE number = pg_backend_pid() %% %s "
                               "FOR UPDATE", [LANES])
                row = cursor.fetchone()
        else:
            cursor.execute("SELECT number, seq, head FROM ledger_lane WHERE number = 0")
            row = cursor.fetchone()
        if row is not None:
            return row
        _make_lanes(cursor)
    raise RuntimeError("ledger: no lane")


def ensure_lanes():
    """Make the lanes' rows if they are missing (the migration makes them; a test's flush empties the
    table). Made inside a writer's transaction, they would hold up the other writers until it ends."""
    with connection.cursor() as cursor:
        _make_lanes(cursor)


def _make_lanes(cursor):
    cursor.executemany("INSERT INTO ledger_lane (number, seq, head) VALUES (%s, 0, %s) ON CONFLICT DO NOTHING",
                       [(n, GENESIS) for n in range(LANES)])
