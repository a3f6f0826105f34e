"""Recomputing the ledger from the tables (docs/ledger.md). One pass over the blocks, lane by lane in
sequence: each block's hash, its link to its predecessor, its records root (once fixed), and its
records against the rows the tables hold now (fetched by id range, serialised as the block was and
compared byte for byte). Then each ledgered table's ids are looked up in the ids the ledger holds (a
sorted array of 8 bytes per record), to find rows that no block holds. Memory: the id arrays plus a
few blocks; time: linear in the records."""
from array import array
from collections import defaultdict
from dataclasses import dataclass

import numpy
import orjson
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
        if dumps(now_sections) == body:
            return
        for (kind, columns, rows), (_, _, now_rows) in zip(sections, now_sections):
            table = model_of(kind)._meta.db_table
            for values, now in zip(rows, now_rows):
                if now is None:
                    self.report(Divergence(table, values[0], "the row is missing (deleted); the ledger holds it: "
                                           + _show(dict(zip(columns, values))), where))
                    break
                now = orjson.loads(dumps(now))
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
            held = numpy.unique(numpy.frombuffer(self.ids.get(model, array("q")), dtype=numpy.int64))
            pk = model._meta.pk.attname
            qs = model._base_manager.order_by(pk)
            if _ONLY.get(model) is not None:
                qs = qs.filter(_ONLY[model])
            chunk = []
            for rid in qs.values_list(pk, flat=True).iterator(chunk_size=20000):
                chunk.append(rid)
                if len(chunk) == 20000:
                    if self._first_unheld(model, qs, held, chunk):
                        break
                    chunk = []
            else:
                self._first_unheld(model, qs, held, chunk)

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
        if not chunk:
            return False
        ids = numpy.array(chunk, dtype=numpy.int64)
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
    qs = qs.filter(pk__gte=lo, pk__lte=hi) if hi - lo < 4 * len(ids) + 64 else qs.filter(pk__anyof=ids)
    instants = _instant_columns(model, columns)  # only these need converting (utc() per value cost ~25 %)
    if not instants:
        return {row[0]: row for row in qs.values_list(*columns)}
    out = {}
    for row in qs.values_list(*columns):
        row = list(row)
        for i in instants:
            if row[i] is not None:
                row[i] = row[i].astimezone(UTC)
        out[row[0]] = row
    return out


def _instant_columns(model, columns):
    """The positions of `columns` that hold instants (DateTimeField)."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    return [i for i, c in enumerate(columns) if c in fields and fields[c].get_internal_type() == "DateTimeField"]


def _integer_keys(model):
    return model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField", "SmallAutoField", "IntegerField",
                                                   "BigIntegerField", "PositiveIntegerField")


def _show(value):
    return dumps(value).decode()


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
    rows = Block.objects.order_by("lane", "seq").values_list("lane", "seq", "at", "body", "prev", "hash",
                                                            "records_root")
    lane, prev, seq, broken, pending = None, GENESIS, 0, False, []
    for n, s, at, body, stored_prev, stored_hash, records_root in rows.iterator(chunk_size=10):
        if n != lane:
            if lane is not None and not broken:
                _check_head(run, lane, seq, prev, heads)
            _check_records_roots(run, pending)
            lane, prev, seq, broken, pending = n, GENESIS, 0, False, []
        where = (n, s, at)
        encoded = body.encode()
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
    """(divergences, [heads of each root that proves its blocks]): a root proves them when it has no
    problem and is signed with the configured key, which this process can read (a DBA can make an
    unsigned root, or one signed with a key of their own, agree with rewritten blocks)."""
    from .roots import check_root, public_key_of_configured

    centre_key = public_key_of_configured()
    found, good = [], []
    for r in DailyRoot.objects.order_by("day").iterator():
        problem = check_root(r)
        if problem:
            found.append(Divergence("ledger_dailyroot", r.pk, f"root of {r.day}: {problem}"))
        elif centre_key and r.signature and r.public_key == centre_key:
            good.append(r.heads)
    return found, good


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
    bad_roots, good = check_roots()
    verify_blocks(run, _anchors(good))
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
