"""The ledger's time-based work, registered with core.ticks in apps.py: fix each closed day's root
(ledger.fix_roots), then verify the ledger once a new root is fixed (ledger.verify); docs/ledger.md."""
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import Block, Check, DailyRoot
from .roots import (GRACE, day_end, day_records_root, day_root, fill_block_roots, heads_at, heads_root, message,
                    public_hex, signing_key)
from .verify import run_check

def fix_roots(now):
    """Tick: fix the root of every closed day since the last fixed one (or the first block's day)."""
    last = DailyRoot.objects.order_by("-day").values_list("day", flat=True).first()
    if last is None:
        first = Block.objects.order_by("at").values_list("at", flat=True).first()
        if first is None:
            return 0
        day = timezone.localtime(first).date()
    else:
        day = last + timedelta(days=1)
    key, fixed = signing_key(), 0
    while day_end(day) + GRACE <= now:
        with transaction.atomic():
            fill_block_roots(day)
            heads = heads_at(day_end(day))
            h_root, r_root = heads_root(heads), day_records_root(day)
            root = day_root(h_root, r_root)
            DailyRoot.objects.get_or_create(day=day, defaults=dict(
                heads=heads, heads_root=h_root, records_root=r_root, root=root, fixed_at=now,
                signature=key.sign(message(day, root)).hex() if key else "",
                public_key=public_hex(key) if key else ""))
        fixed += 1
        day += timedelta(days=1)
    return fixed


def verify_tick(now):
    """Tick: verify the ledger once after each day's root is fixed (fix_roots runs before it in the same
    round): when a root was fixed after the last run. Returns 1 when it ran (0 otherwise)."""
    fixed = DailyRoot.objects.order_by("-fixed_at").values_list("fixed_at", flat=True).first()
    last = Check.objects.order_by("-at").values_list("at", flat=True).first()
    if fixed is None or (last is not None and last >= fixed):
        return 0
    run_check(now)
    return 1
