"""The sweeper: cases whose next time-rule instant has passed are recomputed, so alerts are raised
when they fall due. Cost is O(due), not O(open): it reads through the next_check_at index only.

Rows are claimed with SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL, so several workers can run;
each batch is recomputed and committed in the claiming transaction.
"""
from django.db import connection, transaction

from .models import Case
from .projection import recompute

BATCH = 2000
MAX_BATCHES_PER_TICK = 500


def sweep(now, batch=BATCH):
    """Process every case due at `now`. Returns how many were recomputed."""
    total = 0
    for _ in range(MAX_BATCHES_PER_TICK):
        with transaction.atomic():
            due = Case.objects.filter(next_check_at__lte=now).order_by("next_check_at")
            if connection.features.has_select_for_update_skip_locked:
                due = due.select_for_update(skip_locked=True)
            case_nos = list(due.values_list("case_no", flat=True)[:batch])
            if not case_nos:
                break
            recompute(case_nos, now)
        total += len(case_nos)
    return total
