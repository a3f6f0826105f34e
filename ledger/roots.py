"""Daily roots (docs/ledger.md), fixed out of band by the worker: for each closed day, the Merkle root
of every record the day's blocks hold (leaves computed here, not in the writing transaction), the
Merkle root of the lanes' heads at the day's end, both folded into the day's root and signed with the
centre's Ed25519 key, which is read from LEDGER_SIGNING_KEY_FILE, never from the database.

    leaf(record)  = SM3(0x00 ‖ canonical JSON of [kind, {column: value}])
    node(l, r)    = SM3(0x01 ‖ l ‖ r)          (an odd last node is paired with itself)
    block's records root = Merkle root of its records' leaves, in the body's order
    day's records root   = Merkle root of its blocks' records roots, in (lane, seq) order
    heads root           = Merkle root of leaf'(head) = SM3(0x00 ‖ head hash), lane 0 first
    root                 = SM3(0x02 ‖ heads root ‖ records root); signed: "ClearWindow ledger DAY ROOT"
"""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings
from django.utils import timezone

from .chain import OPTIONS, new_sm3
from .models import GENESIS, LANES, Block, DailyRoot, Span

GRACE = timedelta(minutes=10)  # a day is fixed this long after its end: its last transactions have committed
EMPTY = "0" * 64  # the records root of a day without records


def sm3(*parts):
    h = new_sm3()
    for part in parts:
        h.update(part)
    return h.digest()


def leaf(kind, columns, values):
    """A record's leaf (bytes): its values as the block's body holds them (parsed JSON)."""
    return sm3(b"\x00", orjson.dumps([kind, dict(zip(columns, values))], option=OPTIONS))


def merkle_levels(leaves):
    """Every level of the tree over `leaves` (bytes), leaves first, the root's level last."""
    levels = [list(leaves)]
    while len(levels[-1]) > 1:
        level = levels[-1]
        pairs = level + [level[-1]] if len(level) % 2 else level
        levels.append([sm3(b"\x01", pairs[i], pairs[i + 1]) for i in range(0, len(pairs), 2)])
    return levels


def merkle_root(leaves):
    return merkle_levels(leaves)[-1][0].hex() if leaves else EMPTY


def path(levels, index):
    """The audit path of leaf `index`: [[side, sibling hex]] from the leaf up ('L': sibling on the left)."""
    steps = []
    for level in levels[:-1]:
        sibling = index ^ 1
        if sibling >= len(level):
            sibling = index  # paired with itself
        steps.append(["L" if sibling < index else "R", level[sibling].hex()])
        index //= 2
    return steps


def heads_root(heads):
    return merkle_root([sm3(b"\x00", bytes.fromhex(h)) for _, h in heads])


def day_root(heads_hex, records_hex):
    return sm3(b"\x02", bytes.fromhex(heads_hex), bytes.fromhex(records_hex)).hex()


def message(day, root):
    """What the signature signs."""
    return f"ClearWindow ledger {day.isoformat()} {root}".encode()


def block_leaves(body):
    """[(kind, columns, values, leaf)] of a block's records, in the body's order."""
    out = []
    for kind, columns, rows in orjson.loads(body):
        out += [(kind, columns, values, leaf(kind, columns, values)) for values in rows]
    return out


def records_root_of(body):
    return merkle_root([x[3] for x in block_leaves(body)])


def signing_key():
    """The centre's Ed25519 private key (PEM, PKCS#8) from LEDGER_SIGNING_KEY_FILE, or None."""
    path_ = getattr(settings, "LEDGER_SIGNING_KEY_FILE", "")
    if not path_:
        return None
    with open(path_, "rb") as f:
        return serialization.load_pem_private_key(f.read(), password=None)


def key_problem():
    """Why the roots could not be signed now ('' when they can): the key file is not configured, cannot be
    read, or holds no Ed25519 private key. The worker refuses to start with DEBUG=0 when there is one."""
    path_ = getattr(settings, "LEDGER_SIGNING_KEY_FILE", "")
    if not path_:
        return ("LEDGER_SIGNING_KEY_FILE is not set and there is no var/ledger_signing_key.pem: the daily roots "
                "would be fixed unsigned. Make a key (python -c \"from ledger.roots import new_key_pem; import sys; "
                "sys.stdout.buffer.write(new_key_pem())\" > FILE, readable only by the worker's user) and set "
                "LEDGER_SIGNING_KEY_FILE=FILE, or set DEBUG=1 for development.")
    try:
        key = signing_key()
    except (OSError, ValueError, TypeError) as error:
        return f"LEDGER_SIGNING_KEY_FILE={path_}: cannot read a private key ({error})"
    if not isinstance(key, Ed25519PrivateKey):
        return f"LEDGER_SIGNING_KEY_FILE={path_}: not an Ed25519 private key"
    return ""


def public_key_of_configured():
    """Hex of the configured key's public half, '' when this process cannot read it."""
    try:
        key = signing_key()
    except (OSError, ValueError, TypeError):
        return ""
    return public_hex(key) if key is not None else ""


def public_key():
    """Hex of the centre's public key: the configured key's when this process can read it, else the key
    that signed the newest signed root ('' when neither)."""
    newest = DailyRoot.objects.exclude(public_key="").order_by("-day").values_list("public_key", flat=True)
    return public_key_of_configured() or newest.first() or ""


def public_hex(key):
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def new_key_pem():
    """A new Ed25519 private key as PEM (for bin/setup's demo key and the tests)."""
    return Ed25519PrivateKey.generate().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                      serialization.NoEncryption())


def heads_at(end):
    """[[seq, hash]] of every lane: its last block written before `end`."""
    heads = []
    for lane in range(LANES):
        last = Block.objects.filter(lane=lane, at__lt=end).order_by("-seq").values_list("seq", "hash").first()
        heads.append(list(last) if last else [0, GENESIS])
    return heads


def day_start(day):
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(settings.TIME_ZONE))


def day_end(day):
    return day_start(day + timedelta(days=1))


def day_blocks(day):
    return Block.objects.filter(at__gte=day_start(day), at__lt=day_end(day)).order_by("lane", "seq")


def fill_block_roots(day):
    """Compute the records roots of the day's blocks that have none yet, and their spans (streamed)."""
    todo = day_blocks(day).filter(records_root="").values_list("pk", "body")
    batch = []
    for pk, body in todo.iterator(chunk_size=20):  # 20 bodies of ~1 MB (an import batch): 500 took GBs
        records = block_leaves(body)
        spans = {}
        for kind, columns, values, _ in records:
            rid = values[0]
            if not isinstance(rid, int):  # a UUID key (evidence clips): no span; proof() searches the bodies
                continue
            first, last = spans.get(kind, (rid, rid))
            spans[kind] = (min(first, rid), max(last, rid))
        Block.objects.filter(pk=pk).update(records_root=merkle_root([r[3] for r in records]))
        batch += [Span(block_id=pk, kind=k, first=a, last=b) for k, (a, b) in spans.items()]
        if len(batch) >= 2000:
            Span.objects.bulk_create(batch)
            batch = []
    Span.objects.bulk_create(batch)


def day_records_root(day):
    roots = [bytes.fromhex(r) for r in day_blocks(day).values_list("records_root", flat=True)]
    return merkle_root(roots)


def check_root(r):
    """What is wrong with a stored root, or None: recomputed from the blocks, and its signature.
    (The blocks' own records roots are checked against their bodies by verify_ledger.)"""
    heads = heads_at(day_end(r.day))
    if heads != r.heads:
        lanes = [n for n, (a, b) in enumerate(zip(heads, r.heads)) if a != b]
        return f"the lanes {lanes} no longer end where they ended on {r.day} (blocks of that day were rewritten)"
    if heads_root(heads) != r.heads_root:
        return "the stored heads root is not the root of its heads"
    if day_records_root(r.day) != r.records_root:
        return "the day's blocks no longer give its records root (a block's records were rewritten or removed)"
    if day_root(r.heads_root, r.records_root) != r.root:
        return "the stored root is not the root of its heads and records"
    if r.signature:
        try:
            Ed25519PublicKey.from_public_bytes(bytes.fromhex(r.public_key)).verify(bytes.fromhex(r.signature),
                                                                                  message(r.day, r.root))
        except (InvalidSignature, ValueError):
            return "the signature does not verify"
        try:
            key = signing_key()
        except (OSError, ValueError, TypeError):  # not readable by this process: the stored key is checked
            key = None
        if key and public_hex(key) != r.public_key:
            return "signed with another key than the centre's"
    return None


def proof(kind, record_id):
    """A record's proof (a dict, JSON-ready) from its block in a fixed day, or None when the record
    is in no fixed day yet. Checked offline by tools/verify_proof.py."""
    if isinstance(record_id, int):
        spans = Span.objects.filter(kind=kind, first__lte=record_id, last__gte=record_id).select_related("block")
        blocks = (span.block for span in spans.order_by("block__lane", "block__seq"))
    else:  # a UUID key (few records: evidence clips): the blocks that name it
        record_id = str(record_id)
        blocks = Block.objects.filter(body__contains=f'"{record_id}"').exclude(records_root="").order_by("lane", "seq")
    for b in blocks:
        records = block_leaves(b.body)
        index = next((i for i, (k, _, values, _) in enumerate(records) if k == kind and values[0] == record_id), None)
        if index is None:
            continue
        day = timezone.localtime(b.at).date()
        r = DailyRoot.objects.filter(day=day).first()
        if r is None:
            return None
        blocks = list(day_blocks(day).values_list("pk", "records_root"))
        position = [pk for pk, _ in blocks].index(b.pk)
        k, columns, values, _ = records[index]
        return {
            "format": "clearwindow-ledger-proof/1",
            "record": {"kind": k, "columns": columns, "values": values},
            "block": {"lane": b.lane, "seq": b.seq, "records_root": b.records_root,
                      "path": path(merkle_levels([x[3] for x in records]), index)},
            "day": {"day": day.isoformat(), "records_root": r.records_root, "heads_root": r.heads_root,
                    "root": r.root, "signature": r.signature, "public_key": r.public_key,
                    "path": path(merkle_levels([bytes.fromhex(h) for _, h in blocks]), position)},
        }
    return None


def quarter_roots(first_month, last_month):
    """The fixed roots of the days from first_month's 1st to the end of last_month, and the hex public
    key that signed them (the last root's), for the quarterly bulletin."""
    end = (last_month.replace(day=28) + timedelta(days=4)).replace(day=1)
    roots = list(DailyRoot.objects.filter(day__gte=first_month, day__lt=end).order_by("day"))
    return roots, roots[-1].public_key if roots else ""
