"""The sweeper: cases whose next time-rule instant has passed are recomputed, so alerts are raised
when they fall due. Cost is O(due), not O(open): it reads through the next_check_at index only.

Rows are claimed with SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL, so several workers can run;
each batch is recomputed and committed in the claiming transaction. A claimed case whose lock
(cases.bulk.lock_cases) an ingest holds is left to that ingest, which recomputes it anyway.
"""
from django.db import connection, transaction

from ledger import chain

from .bulk import try_lock_cases
from .models import Case
from .projection import recompute

BATCH = 1000
MAX_BATCHES_PER_TICK = 500


def sweep(now, batch=BATCH):
    """Process every case due at `now`. Returns how many were recomputed."""
    total = 0
    for _ in range(MAX_BATCHES_PER_TICK):
        with transaction.atomic(), chain.block():  # one ledger block for the batch's alert changes
            due = Case.objects.filter(next_check_at__lte=now).order_by("next_check_at")
            if connection.features.has_select_for_update_skip_locked:
                due = due.select_for_update(skip_locked=True)
            claimed = list(due.values_list("case_no", flat=True)[:batch])
            if not claimed:
                break
            case_nos = try_lock_cases(claimed)  # the rest are being recomputed by an ingest right now
            if not case_nos:
                break  # only cases an ingest holds are left: the next tick takes what it leaves due
            recompute(case_nos, now)
        total += len(case_nos)
    return total
