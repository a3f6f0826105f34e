"""Claiming work, so that several workers (`manage.py supervise`) never act on the same row twice.

A tick acts inside one transaction on the rows it claimed there:

    with transaction.atomic():
        for urge in claim(Urge.objects.filter(status=ISSUED, escalated=False, …))[:50]:
            …act…

On PostgreSQL `claim` locks the rows `FOR UPDATE SKIP LOCKED`: a row another worker holds is left
to it, and a row another worker changed and committed since this statement's snapshot is
re-checked against the query's conditions on its newest version (READ COMMITTED), so a row whose
own columns say it was acted on (escalated, overdue, status …) is not claimed again. Conditions on
*other* tables (an alert exists, a rating exists) are read with the statement's snapshot: re-read
them after the claim, in a new statement, before acting. On SQLite the transaction holds the
database's only write lock from BEGIN (IMMEDIATE), so what it reads is what it acts on.

`try_lock(name)` is for work that has no row to claim yet (e.g. creating a month's scores): a
transaction-scoped advisory lock, taken without waiting; on SQLite always granted.
"""
from django.db import connection


def claim(queryset):
    """`queryset`'s rows, locked for this transaction; rows another worker holds are skipped."""
    if not connection.in_atomic_block:
        raise RuntimeError("claim() must run inside the transaction that acts on the rows")
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True, of=("self",))
    return queryset


def try_lock(name):
    """Whether this transaction got the lock called `name` (held until it ends); False if another holds it."""
    if not connection.in_atomic_block:
        raise RuntimeError("try_lock() must run inside a transaction")
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        # the two-key form: a key space apart from the cases' one-key locks (cases.bulk.lock_cases)
        cursor.execute("SELECT pg_try_advisory_xact_lock(hashtext('claims'), hashtext(%s))", [name])
        return cursor.fetchone()[0]
