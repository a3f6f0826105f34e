"""The tamper-evident ledger (docs/ledger.md): hash chains ("lanes") of blocks, one block per
writing transaction holding the supervised records it wrote."""
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64  # the `prev` of a lane's first entry
LANES = 16  # chains that writers append to side by side (docs/ledger.md, concurrency)


class Lane(models.Model):
    """A chain's head: its last sequence number and hash. A writer holds the row's lock (PostgreSQL
    FOR UPDATE) from taking the lane until its transaction ends, so a lane never forks."""

    number = models.PositiveSmallIntegerField(primary_key=True)
    seq = models.BigIntegerField(default=0)
    head = models.CharField(max_length=64, default=GENESIS)

    class Meta:
        verbose_name = verbose_name_plural = _("账本链")

class Block(models.Model):
    """What one transaction appended to a lane: the canonical serialisation of its records (`body`,
    ledger.chain), chained to the lane's previous block. `records_root` (the Merkle root of its
    records, SM3) is filled in out of band when the day's root is fixed; verify_ledger recomputes it."""

    id = models.BigAutoField(primary_key=True)
    lane = models.PositiveSmallIntegerField()
    seq = models.BigIntegerField()
    at = models.DateTimeField()
    body = models.TextField()
    records = models.PositiveIntegerField()
    prev = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    records_root = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("账本区块")
        constraints = [models.UniqueConstraint(fields=["lane", "seq"], name="ledger_block_lane_seq")]
        indexes = [models.Index(fields=["at"], name="ledger_block_at")]


class Span(models.Model):
    """Where to find a record's block (for proofs): the range of record ids of one kind in a block,
    written out of band with the day's root. An index, not evidence: proofs are checked against hashes."""

    block = models.ForeignKey(Block, on_delete=models.CASCADE)
    kind = models.CharField(max_length=60)
    first = models.BigIntegerField()
    last = models.BigIntegerField()

    class Meta:
        verbose_name = verbose_name_plural = _("区块记录范围")
        indexes = [models.Index(fields=["kind", "first"], name="ledger_span_kind_first")]


class DailyRoot(models.Model):
    """A closed day fixed (docs/ledger.md): the lanes' heads at the day's end (local midnight) and the
    Merkle root of the day's records, folded into one root and signed with the centre's key (Ed25519)."""

    day = models.DateField(unique=True)
    heads = models.JSONField()  # [[seq, hash]] per lane, lane 0 first
    heads_root = models.CharField(max_length=64)
    records_root = models.CharField(max_length=64)  # over the records roots of the day's blocks
    root = models.CharField(max_length=64)
    signature = models.CharField(max_length=128, blank=True)  # hex; empty when no key was configured
    public_key = models.CharField(max_length=64, blank=True)  # hex of the raw Ed25519 key that signed
    fixed_at = models.DateTimeField()

    class Meta:
        verbose_name = verbose_name_plural = _("每日根")
        ordering = ["-day"]


class Check(models.Model):
    """One run of verify_ledger: its outcome, for the centre's home page and the alert."""

    at = models.DateTimeField()
    ok = models.BooleanField()
    divergences = models.PositiveIntegerField(default=0)
    report = models.TextField(blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("账本核验")
        ordering = ["-at"]
