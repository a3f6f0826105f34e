"""Numbers for records (cases of the workbench, urges, complaints, consultations, observations,
accountability cases, ratings): one way for all.

A number is `<prefix><sequence>`, the sequence zero-padded to `width` digits (longer when needed). The
sequence comes from a counter row per prefix (core.Counter), incremented in the database in the
transaction that writes the record: two transactions at once, in two processes, get two numbers (on
PostgreSQL the counter row is locked until the first commits; SQLite has one writer at a time). A number
is never issued twice, even when its record was deleted. The first use of a prefix starts past the
largest sequence already stored under it, and a number someone else wrote is skipped, so a deployed
system never issues a number that exists.
"""
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import Counter


def local_day(now=None):
    """The date of `now` in the deployment's time zone (settings.TIME_ZONE), whatever zone is active."""
    return (now or timezone.now()).astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def day_prefix(code, now=None):
    """`<code><yyyymmdd>-` for the local day of `now` (DB20261205-)."""
    return f"{code}{local_day(now):%Y%m%d}-"


def next_number(model, field, prefix, *, width=4):
    """The next number `prefix + sequence` for `model.field`; call it inside the transaction that saves
    the record."""
    return next_numbers(model, field, prefix, 1, width=width)[0]


def next_numbers(model, field, prefix, count, *, width=4):
    """`count` next numbers under `prefix` at once (one counter update for the lot)."""
    manager, numbers = model._default_manager, []
    key = f"{model._meta.label_lower}:{prefix}"
    while len(numbers) < count:
        wanted = count - len(numbers)
        last = next_value(key, by=wanted, start=lambda: largest_sequence(manager, field, prefix))
        block = [f"{prefix}{seq:0{width}d}" for seq in range(last - wanted + 1, last + 1)]
        taken = set(manager.filter(**{f"{field}__in": block}).values_list(field, flat=True))
        numbers += [n for n in block if n not in taken]  # one someone else wrote: take more
    return numbers


def largest_sequence(queryset, field, prefix):
    """The largest all-digit sequence after `prefix` among the stored values of `field` (0 if none)."""
    tails = (value[len(prefix):] for value in queryset.filter(**{f"{field}__startswith": prefix})
             .values_list(field, flat=True).iterator())
    return max((int(tail) for tail in tails if tail.isascii() and tail.isdigit()), default=0)


def next_value(key, *, by=1, start=lambda: 0):
    """Add `by` to the counter `key` and return its new value; a new counter starts at start() + by."""
    table, k, v = (connection.ops.quote_name(n) for n in (Counter._meta.db_table, "key", "value"))
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {v} = {v} + %s WHERE {k} = %s RETURNING {v}", [by, key])
        row = cursor.fetchone()
        if row is None:  # first use; if another transaction creates it meanwhile, ours waits and increments
            cursor.execute(f"INSERT INTO {table} ({k}, {v}) VALUES (%s, %s) ON CONFLICT ({k}) "
                           f"DO UPDATE SET {v} = {table}.{v} + %s RETURNING {v}", [key, start() + by, by])
            row = cursor.fetchone()
    return row[0]
