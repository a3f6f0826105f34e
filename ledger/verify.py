"""Recomputing the ledger from the tables (docs/ledger.md). One pass over the blocks, lane by lane in
sequence: each block's hash, its link to its predecessor, its records root (once fixed), and its
records against the rows the tables hold now (fetched by id range, serialised as the block was and
compared byte for byte). Then each ledgered table's ids are looked up in the ids the ledger holds (a
sorted array of 8 bytes per record), to find rows that no block holds. Memory: the id arrays plus a
few blocks; time: linear in the records."""
import json
import re
import threading
from array import array
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass

import orjson
from django.db import connection, transaction
from django.db.models import JSONField
from django.dispatch import Signal
from django.utils import timezone

from .chain import _KINDS, _ONLY, UTC, block_hash, dumps, model_of, utc
from .models import GENESIS, Block, Check, DailyRoot, Lane

# Sent after verify_ledger ran (check=ledger.models.Check, found=[Divergence]): supervision raises a red
# alert to the League centre when something diverged, without this module knowing alerts.
checked = Signal()


@dataclass
class Divergence:
    table: str
    record_id: object
    what: str
    block: tuple | None = None  # (lane, seq, at) of the block concerned

    def __str__(self):
        where = f" (ledger lane {self.block[0]}, block {self.block[1]}, written {self.block[2]:%Y-%m-%d %H:%M:%S} UTC)" \
            if self.block else ""
        row = f" row id={self.record_id}" if self.record_id is not None else ""
        return f"{self.table}{row}: {self.what}{where}"


class _Run:
    def __init__(self):
        self.found = []
        self.tables_found = set()  # tables with a divergence reported: the first one per table
        self.ids = defaultdict(lambda: array("q"))  # model -> integer ids the ledger holds
        self.keys = defaultdict(set)  # model -> other keys the ledger holds (UUIDs, as text): few records

    def report(self, divergence):
        if divergence.table in self.tables_found:
            return
        self.tables_found.add(divergence.table)
        self.found.append(divergence)

    def check_block(self, body, where):
        """A block's records against the rows the tables hold now. Fast path: the rows, fetched by id
        (one range query per section), serialised as the block was must give its body byte for byte;
        only when they do not are the records compared one by one to name the first difference."""
        sections = orjson.loads(body)
        now_sections = []
        for kind, columns, rows in sections:
            model = model_of(kind)
            if model is None:
                self.report(Divergence("ledger_block", None, f"records of an unknown kind {kind!r}", where))
                return
            ids = [values[0] for values in rows]
            if ids and isinstance(ids[0], int):
                self.ids[model].extend(ids)
            else:
                self.keys[model].update(ids)
            current = _rows_by_id(model, columns, ids)
            now_sections.append([kind, columns, [current.get(i) for i in ids]])
        try:
            if dumps(now_sections) == body:
                return
        except TypeError:  # a value no block can hold (orjson writes no integer beyond 64 bits): a change
            pass
        for (kind, columns, rows), (_, _, now_rows) in zip(sections, now_sections):
            table = model_of(kind)._meta.db_table
            for values, now in zip(rows, now_rows):
                if now is None:
                    self.report(Divergence(table, values[0], "the row is missing (deleted); the ledger holds it: "
                                           + _show(dict(zip(columns, values))), where))
                    break
                now = _as_read(now)
                if now != values:
                    changed = "; ".join(f"{c}: {_show(a)} in the ledger, now {_show(b)}"
                                        for c, a, b in zip(columns, values, now) if a != b)
                    self.report(Divergence(table, values[0], "changed: " + changed, where))
                    break

    def unledgered(self):
        """Rows of each ledgered table that no block holds: the table's ids in order, in chunks, looked
        up in the sorted array of the ids the blocks held."""
        for model in sorted(_KINDS, key=lambda m: m._meta.label_lower):
            if not _integer_keys(model):
                self._unheld_keys(model)
                continue
            import numpy  # here, not at the top: the web workers import this module for its signal

            # sorted in place (numpy.unique hashes integers: ~50 bytes an id, 780 MiB at 10M events);
            # an id held twice does not change whether a row is held
            held = numpy.frombuffer(self.ids.pop(model, array("q")), dtype=numpy.int64)
            held.sort()
            pk = model._meta.pk.attname
            qs = model._base_manager.order_by(pk)
            if _ONLY.get(model) is not None:
                qs = qs.filter(_ONLY[model])
            for chunk in _id_chunks(qs.values_list(pk, flat=True), 100_000):
                if self._first_unheld(model, qs, held, chunk):
                    break

    def _unheld_keys(self, model):
        """The same for a kind whose key is not an integer (an evidence clip's UUID): a set of the keys."""
        held = self.keys.get(model, set())
        qs = model._base_manager.order_by("pk")
        if _ONLY.get(model) is not None:
            qs = qs.filter(_ONLY[model])
        for key in qs.values_list("pk", flat=True).iterator(chunk_size=20000):
            if str(key) not in held:
                row = next(iter(qs.filter(pk=key).values()), {})
                self.report(Divergence(model._meta.db_table, str(key), "the row has no ledger record (inserted "
                                       "outside ClearWindow): " + _show({k: utc(v) for k, v in row.items()})))
                return

    def _first_unheld(self, model, qs, held, chunk):
        if not len(chunk):
            return False
        import numpy

        ids = numpy.asarray(chunk, dtype=numpy.int64)
        at = numpy.minimum(numpy.searchsorted(held, ids), max(len(held) - 1, 0))
        missing = ids if not len(held) else ids[held[at] != ids]
        if not len(missing):
            return False
        rid = int(missing[0])
        row = next(iter(qs.filter(pk=rid).values()), {})
        self.report(Divergence(model._meta.db_table, rid, "the row has no ledger record (inserted outside "
                               "ClearWindow): " + _show({k: utc(v) for k, v in row.items()})))
        return True


def _rows_by_id(model, columns, ids):
    """{id: (values in `columns` order, instants in UTC)} of the rows of `ids` there are. One range
    query when the ids are close together (a block's usually are: they come from the sequence in
    order), else one = ANY(array) query. Keys that are not integers (UUIDs) are looked up as text."""
    qs = model._base_manager.all()
    if not isinstance(ids[0], int):
        return {str(row[0]): [utc(v) for v in row] for row in qs.filter(pk__in=ids).values_list(*columns)}
    lo, hi = min(ids), max(ids)
    by_range = hi - lo < 4 * len(ids) + 64
    instants = _instant_columns(model, columns)  # only these need converting (utc() per value cost ~25 %)
    if _reader.plain(model, columns):
        rows = _reader.rows(model, columns, (lo, hi) if by_range else None, ids)
        if _reader.utc:  # psycopg gives the instants in the session's time zone, UTC: nothing to convert
            return {row[0]: row for row in rows}
    else:
        rows = (qs.filter(pk__gte=lo, pk__lte=hi) if by_range else qs.filter(pk__anyof=ids)).values_list(*columns)
    if not instants:
        return {row[0]: row for row in rows}
    out = {}
    for row in rows:
        row = list(row)
        for i in instants:
            if row[i] is not None:
                row[i] = row[i].astimezone(UTC)
        out[row[0]] = row
    return out


class _Reader(threading.local):
    """How verify_ledger reads the tables. On PostgreSQL, inside verify()'s read-only snapshot, through
    psycopg itself rather than Django's row conversion, whose per-value Python code (its time zone
    loader, which parses instants in Python, and JSONField's json.loads) was most of the pass's CPU:
    psycopg's C loader for instants and orjson for JSON columns give the very same values (instants
    are converted to UTC as before; JSON that orjson could read differently from json.loads — integers
    of 19 digits or more, numbers out of range — is read by json.loads). The blocks are read through
    one server-side cursor, their bodies as bytes. SQLite, and columns of other kinds (none today):
    Django's ORM, as before. Per thread, as Django's connections are."""

    def __init__(self):
        self.cursor = None  # a psycopg cursor with the loaders above, while verify() runs on PostgreSQL
        self.utc = False  # whether the session's time zone is UTC (Django sets it so): instants come in UTC
        self._plain = {}

    @contextmanager
    def snapshot(self):
        """verify()'s reads: on PostgreSQL one REPEATABLE READ, READ ONLY transaction (one snapshot, so
        that a block and its rows committed by a writer during the pass are seen both or neither, and
        no WITH HOLD cursor is materialised), with the psycopg cursor; elsewhere as it is."""
        if connection.vendor != "postgresql":
            yield
            return
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            self.cursor = connection.connection.cursor()
            _fast_loaders(self.cursor)
            self.utc = connection.connection.info.parameter_status("TimeZone") in ("UTC", "Etc/UTC")
            try:
                yield
            finally:
                self.cursor.close()
                self.cursor = None

    def plain(self, model, columns):
        """Whether `columns` of `model` can be read through psycopg directly: PostgreSQL, and no column
        that Django converts other than JSON without a custom decoder."""
        if self.cursor is None:
            return False
        key = (model, tuple(columns))
        if key not in self._plain:
            fields = {f.attname: f for f in model._meta.concrete_fields}
            self._plain[key] = all(
                c in fields and (not hasattr(fields[c], "from_db_value")
                                 or (type(fields[c]) is JSONField and fields[c].decoder is None))
                for c in columns)
        return self._plain[key]

    def rows(self, model, columns, id_range, ids):
        """The rows of `model` whose key is in id_range (lo, hi), or else in `ids`: tuples in `columns` order."""
        fields = {f.attname: f for f in model._meta.concrete_fields}
        qn = connection.ops.quote_name
        select = (f"SELECT {', '.join(qn(fields[c].column) for c in columns)} FROM {qn(model._meta.db_table)} "
                  f"WHERE {qn(model._meta.pk.column)}")
        if id_range:
            self.cursor.execute(f"{select} BETWEEN %s AND %s", id_range)
        else:
            self.cursor.execute(f"{select} = ANY(%s)", [list(ids)])
        rows = self.cursor.fetchall()
        for k, c in enumerate(columns):
            if isinstance(fields[c], JSONField) and rows:
                rows = [(*row[:k], value, *row[k + 1:]) for row, value in zip(rows, _load_json([r[k] for r in rows]))]
        return rows


_reader = _Reader()


def _fast_loaders(cursor):
    """psycopg's own C loaders on `cursor`: instants (Django's loader parses them in Python) and JSON
    columns as their text (parsed a fetch at a time by _load_json)."""
    import psycopg
    from psycopg.pq import Format

    timestamptz, text = psycopg.adapters.types["timestamptz"].oid, psycopg.adapters.types["text"].oid
    cursor.adapters.register_loader(timestamptz, psycopg.adapters.get_loader(timestamptz, Format.TEXT))
    for name in ("json", "jsonb"):
        cursor.adapters.register_loader(name, psycopg.adapters.get_loader(text, Format.TEXT))


def _load_json(texts):
    """The values of JSON texts (None for NULL), as json.loads (JSONField) reads each: one orjson call
    for them all, or json.loads where orjson could read them otherwise (integers of 19 digits or more,
    which orjson reads as floats beyond 64 bits; numbers out of a double's range)."""
    present = [t for t in texts if t is not None]
    joined = "[" + ",".join(present) + "]"
    values = None
    if _ORJSON_MAY_DIFFER.search(joined) is None:
        try:
            values = orjson.loads(joined)
        except orjson.JSONDecodeError:
            pass
    if values is None:
        values = [json.loads(t) for t in present]
    if len(present) == len(texts):
        return values
    values = iter(values)
    return [None if t is None else next(values) for t in texts]


_ORJSON_MAY_DIFFER = re.compile(r"\d{19}")


def _blocks():
    """(lane, seq, at, body as UTF-8 bytes, prev, hash, records_root) of every block, lane by lane in seq
    order, streamed (PostgreSQL: a server-side cursor in verify()'s snapshot, 20 blocks a fetch)."""
    if _reader.cursor is None:
        rows = Block.objects.order_by("lane", "seq").values_list("lane", "seq", "at", "body", "prev", "hash",
                                                                "records_root")
        for n, s, at, body, prev, digest, records_root in rows.iterator(chunk_size=10):
            yield n, s, at, body.encode(), prev, digest, records_root
        return
    import psycopg
    from psycopg.adapt import Loader

    class BytesLoader(Loader):
        def load(self, data):
            return bytes(data)

    with connection.connection.cursor(name="ledger_verify_blocks") as cursor:
        timestamptz = psycopg.adapters.types["timestamptz"].oid
        cursor.adapters.register_loader(timestamptz, psycopg.adapters.get_loader(timestamptz, psycopg.pq.Format.TEXT))
        cursor.adapters.register_loader("text", BytesLoader)  # the body (the hashes are varchar: str)
        cursor.itersize = 20
        cursor.execute("SELECT lane, seq, at, body, prev, hash, records_root FROM ledger_block ORDER BY lane, seq")
        yield from cursor


def _id_chunks(values_list, size):
    """A flat values_list's values in arrays of `size` (PostgreSQL: fetched through psycopg directly)."""
    if _reader.cursor is None:
        chunk = []
        for value in values_list.iterator(chunk_size=20000):
            chunk.append(value)
            if len(chunk) == size:
                yield chunk
                chunk = []
        yield chunk
        return
    import numpy

    sql, params = values_list.query.sql_with_params()
    with connection.connection.cursor(name="ledger_verify_ids") as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(size):
            yield numpy.fromiter((r[0] for r in rows), dtype=numpy.int64, count=len(rows))


def _instant_columns(model, columns):
    """The positions of `columns` that hold instants (DateTimeField)."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    return [i for i, c in enumerate(columns) if c in fields and fields[c].get_internal_type() == "DateTimeField"]


def _integer_keys(model):
    return model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField", "SmallAutoField", "IntegerField",
                                                   "BigIntegerField", "PositiveIntegerField")


def _show(value):
    try:
        return dumps(value).decode()
    except TypeError:  # a value no block can hold (an integer beyond 64 bits, written by SQL): shown by json
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_as_read)


def _as_read(value):
    """`value` as a block's JSON reads back (instants as their text, decimals as strings…); a value no block
    can hold (an integer beyond 64 bits) through json, so that it is named rather than crashing the pass."""
    try:
        return orjson.loads(dumps(value))
    except TypeError:
        return json.loads(json.dumps(value, ensure_ascii=False, default=_as_read))


def _anchors(roots):
    """{(lane, seq): hash} of the lanes' heads that signed roots hold (roots without a problem only)."""
    anchors = {}
    for heads in roots:
        for lane, (seq, digest) in enumerate(heads):
            if seq:
                anchors[(lane, seq)] = digest
    return anchors


def verify_blocks(run, anchors=None):
    """Chains, records roots and records, in one pass over the blocks.

    A fixed block's records root is recomputed (a Merkle tree of SM3 leaves: the largest cost of the
    pass) only when its body is not already proven: a block whose lane verifies without a break from
    the first block up to a head that a good root holds (`anchors`) has the very body it had when its
    day was fixed, so its records root, computed then from that body, is checked by the day's root.
    Every other fixed block (after a break, or after the lane's last anchored head) is recomputed."""
    anchors = anchors or {}
    heads = {n: (s, h) for n, s, h in Lane.objects.values_list("number", "seq", "head")}
    lane, prev, seq, broken, pending = None, GENESIS, 0, False, []
    for n, s, at, encoded, stored_prev, stored_hash, records_root in _blocks():
        if n != lane:
            if lane is not None and not broken:
                _check_head(run, lane, seq, prev, heads)
            _check_records_roots(run, pending)
            lane, prev, seq, broken, pending = n, GENESIS, 0, False, []
        where = (n, s, at)
        if not broken:
            problem = None
            if s != seq + 1:
                problem = f"ledger blocks {seq + 1}–{s - 1} of lane {n} are missing (deleted)"
            elif stored_prev != prev:
                problem = "the block does not follow its predecessor (its previous hash was changed)"
            elif block_hash(prev, n, s, at, encoded) != stored_hash:
                problem = "the block's content no longer matches its hash (the block was edited)"
            if problem:
                run.found.append(Divergence("ledger_block", None, problem, where))
                broken = True
                _check_records_roots(run, pending)
                pending = []
        if records_root:
            if broken:
                _check_records_roots(run, [(encoded, records_root, where)])
            else:  # its body is fetched again only if no anchor follows (8 bytes a block, not the body)
                pending.append((None, records_root, where))
        if not broken and anchors.get((n, s)) == stored_hash:
            pending = []  # proven up to here by a signed root
        run.check_block(encoded, where)
        prev, seq = stored_hash, s
    if lane is not None and not broken:
        _check_head(run, lane, seq, prev, heads)
    _check_records_roots(run, pending)
    for n, (s, _) in heads.items():
        if s and not Block.objects.filter(lane=n).exists():
            run.found.append(Divergence("ledger_block", None, f"lane {n} records {s} blocks but holds none: "
                                        "its blocks were deleted"))


def _check_records_roots(run, blocks):
    from .roots import records_root_of

    for encoded, records_root, where in blocks:
        if encoded is None:
            encoded = Block.objects.filter(lane=where[0], seq=where[1]).values_list("body", flat=True).get().encode()
        if records_root_of(encoded) != records_root:
            run.found.append(Divergence("ledger_block", None, "the block's records root (fixed with its day's "
                                        "root) is not the root of its records", where))


def _check_head(run, lane, seq, prev, heads):
    head_seq, head = heads.get(lane, (0, GENESIS))
    if head_seq != seq or head != prev:
        run.found.append(Divergence("ledger_block", None, f"lane {lane} ends at block {seq} but its head records "
                                    f"block {head_seq}: blocks at its end were deleted or added"))


def check_roots():
    """(divergences, [heads of each root that proves its blocks], [days whose root has a problem]): a
    root proves them when it has no problem and is signed with the configured key, which this process
    can read (a DBA can make an unsigned root, or one signed with a key of their own, agree with
    rewritten blocks)."""
    from .roots import check_root, public_key_of_configured

    centre_key = public_key_of_configured()
    found, good, bad_days = [], [], []
    for r in DailyRoot.objects.order_by("day").iterator():
        problem = check_root(r)
        if problem:
            found.append(Divergence("ledger_dailyroot", r.pk, f"root of {r.day}: {problem}"))
            bad_days.append(r.day)
        elif centre_key and r.signature and r.public_key == centre_key:
            good.append(r.heads)
    return found, good, bad_days


def check_bad_days(run, days):
    """Recompute the records roots of the blocks of days whose root failed, where verify_blocks took them
    as proven: a later day's signed root proves a block's body, not its records root (which is not in
    the block's hash), so a records root edited after its day was fixed is named here."""
    from .roots import day_blocks

    named = {d.block[:2] for d in run.found if d.block}
    for day in days:
        rows = day_blocks(day).exclude(records_root="").values_list("lane", "seq", "at", "body", "records_root")
        for n, s, at, body, records_root in rows.iterator(chunk_size=20):
            if (n, s) not in named:
                _check_records_roots(run, [(body.encode(), records_root, (n, s, at))])


def between_roots(divergence):
    """Name the signed roots around a divergence's block: the last fixed before it was written and the first after."""
    if not divergence.block:
        return divergence
    day = timezone.localtime(divergence.block[2]).date()
    before = DailyRoot.objects.filter(day__lt=day).order_by("-day").first()
    after = DailyRoot.objects.filter(day__gte=day).order_by("day").first()
    divergence.what += (f"; between the root of {before.day if before else '(none)'} and the root of "
                        f"{after.day if after else '(none yet)'}")
    return divergence


def verify():
    """Every divergence found: each break of a lane, each bad root, the first of each ledgered table."""
    run = _Run()
    with _reader.snapshot():
        bad_roots, good, bad_days = check_roots()
        verify_blocks(run, _anchors(good))
        check_bad_days(run, bad_days)
        run.unledgered()
        return [between_roots(d) for d in run.found + bad_roots]


def run_check(now=None):
    """verify(), recorded as a Check and announced (`checked`). Returns (check, found)."""
    found = verify()
    check = Check.objects.create(at=now or timezone.now(), ok=not found, divergences=len(found),
                                 report="\n".join(str(d) for d in found)[:20000])
    checked.send(sender=Check, check=check, found=found)
    return check, found


def state():
    """What the centre's home page shows: the last verify_ledger run and the last day fixed by a root."""
    root = DailyRoot.objects.order_by("-day").values_list("day", "signature").first()
    return {"check": Check.objects.order_by("-at").first(), "root": root[0] if root else None,
            "unsigned": bool(root) and not root[1]}  # the newest root was fixed without the centre's key
