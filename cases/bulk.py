"""The hot path's bulk event writes and reads, behind one small module (DESIGN.md, core idea 4).

PostgreSQL: COPY straight into the table, in a savepoint. A batch holding an event id the table
has (a client re-sending, or two requests racing) makes it fail; then the savepoint is rolled back
and the rows go through a temporary table and one INSERT … SELECT … ON CONFLICT DO NOTHING, whose
row count says how many were new (the safe path costs about 1.7 times the direct COPY, and the
usual batch of new events needs no query to look for duplicates first).
Elsewhere (SQLite): executemany of INSERT … ON CONFLICT DO NOTHING. Everywhere else, the ORM.

load_events reads the events of many cases in one query straight from the driver: at 10 events a
case the ORM's per-row work was most of a sweep's reading time.
"""
from collections import namedtuple
from datetime import timezone

from django.db import IntegrityError, connection, transaction
from psycopg.types.json import Jsonb

from core.bulk import column_types, next_ids, plain
from core.jsontext import dump, parse

EVENT_COLUMNS = ("id", "client_id", "source", "event_id", "case_no", "type", "occurred_at", "arrived_at", "data",
                 "historical", "late_arrival")


def insert_events(rows):
    """rows: tuples in EVENT_COLUMNS order without the id, `data` as a dict. Rows whose
    (client, event_id) is stored already, or came earlier in `rows`, are skipped. Returns (how many
    rows were stored, the id given to each row in order: a skipped row's id is not used)."""
    if not rows:
        return 0, []
    if plain():
        return _insert_by_orm(rows)
    ids = _reserve_ids(len(rows))
    columns = ", ".join(EVENT_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            rows = [(pk,) + row[:7] + (Jsonb(row[7], dumps=dump),) + row[8:] for pk, row in zip(ids, rows)]
            try:
                with transaction.atomic():
                    _copy(cursor, "cases_caseevent", columns, rows)
                return len(rows), ids
            except connection.Database.IntegrityError:  # a re-sent or repeated event id
                _incoming_table(cursor, columns)
                _copy(cursor, "_incoming_events", columns, rows)
                cursor.execute(f"INSERT INTO cases_caseevent ({columns}) SELECT {columns} FROM _incoming_events "
                               "ORDER BY n ON CONFLICT DO NOTHING")
                stored = cursor.rowcount
                cursor.execute("TRUNCATE _incoming_events")
                return stored, ids
        else:
            # Stored as the ORM stores them (naive UTC text): sqlite3 would keep the offset, and
            # occurred_at <= as_of would then compare local and UTC clock times as text.
            adapt = connection.ops.adapt_datetimefield_value
            rows = [(pk,) + row[:5] + (adapt(row[5]), adapt(row[6]), dump(row[7])) + row[8:]
                    for pk, row in zip(ids, rows)]
            marks = ", ".join(["%s"] * len(EVENT_COLUMNS))
            cursor.executemany(f"INSERT INTO cases_caseevent ({columns}) VALUES ({marks}) ON CONFLICT DO NOTHING",
                               rows)
            return cursor.rowcount, ids  # summed over the rows by sqlite3


def _insert_by_orm(rows):
    """insert_events through the Django ORM, one row at a time in a savepoint (core.bulk.orm_path: the
    plain path the fast one is compared with). A skipped row's id is -1."""
    from .models import CaseEvent

    names, stored, ids = EVENT_COLUMNS[1:], 0, []
    for row in rows:
        try:
            with transaction.atomic():
                event = CaseEvent.all_events.create(**dict(zip(names, row)))
        except IntegrityError:
            ids.append(-1)
        else:
            stored += 1
            ids.append(event.pk)
    return stored, ids


def _reserve_ids(n):
    """n new event ids, increasing, so that the caller knows each event's id (its arrival order)
    without reading the rows back. PostgreSQL: from the table's sequence, in one query. SQLite: the
    next ones after the largest; the transaction holds the database's write lock from its BEGIN
    (IMMEDIATE, see settings), so no other writer can take them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            return next_ids(cursor, "cases_caseevent", "id", n)
        cursor.execute("SELECT coalesce(max(id), 0) FROM cases_caseevent")
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + n))


def _copy(cursor, table, columns, rows):
    """Binary COPY: the text format had psycopg format every timestamp as text, and cost the client
    three times the CPU (2.7 against 0.9 ms per 1,000 rows)."""
    # read before the COPY starts: during it the connection takes no other query (_incoming_events:
    # the same columns and types)
    types = column_types(cursor, "cases_caseevent", EVENT_COLUMNS)
    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(types)
        for row in rows:
            copy.write_row(row)


def _incoming_table(cursor, columns):
    """A session's temporary table shaped like the event columns, plus `n` to keep arrival order."""
    cursor.execute("SELECT to_regclass('pg_temp._incoming_events')")
    if cursor.fetchone()[0] is None:
        cursor.execute(f"CREATE TEMP TABLE _incoming_events AS SELECT {columns} FROM cases_caseevent WITH NO DATA")
        cursor.execute("ALTER TABLE _incoming_events ADD COLUMN n bigserial")


# One stored event as the projection reads it: what the pure clock reads of an event (seq = the
# arrival order, type, occurred_at, data; cases.clock.Event) and what the case row counts.
EventRow = namedtuple("EventRow", "case_no seq type occurred_at data client_id late_arrival")


def fresh_events(rows, ids):
    """{case_no: [EventRow]} of stored rows (EVENT_COLUMNS order without the id; `ids` theirs, in order)
    as load_events reads them, without reading them back."""
    events = {}
    for pk, (client_id, _, _, case_no, kind, occurred_at, _, data, _, late) in zip(ids, rows):
        events.setdefault(case_no, []).append(EventRow(case_no, pk, kind, occurred_at, data, client_id, late))
    return events


def load_events(case_nos, until=None):
    """{case_no: [EventRow]} of these cases' events that count, each list in (occurred_at, id) order; only
    events with occurred_at <= until when given. One query, read by the driver without the ORM's per-row work."""
    case_nos = list(case_nos)
    if not case_nos:
        return {}
    where, params = _matching("case_no", case_nos)
    where += " AND refusal = ''"  # refused after they were stored (models.CaseEvent): they never count
    if until is not None:
        where += " AND occurred_at <= %s"
        params.append(until if connection.vendor == "postgresql" else connection.ops.adapt_datetimefield_value(until))
    sql = (f"SELECT case_no, id, type, occurred_at, data, client_id, late_arrival FROM cases_caseevent "
           f"WHERE {where} ORDER BY occurred_at, id")
    aware = connection.vendor != "postgresql"  # SQLite returns naive UTC datetimes
    events = {}
    with transaction.atomic(savepoint=False), _reading_cursor() as cursor:
        if connection.vendor == "postgresql":
            # A few rows a case through the case_no index. When the statistics lag behind a growing
            # table the planner expects many, goes parallel and compiles the query (JIT): tens of
            # milliseconds to start workers and compile, for a 14 ms read (measured at 4M events).
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL jit = off")
        cursor.execute(sql, params)
        for no, pk, kind, at, data, client_id, late in cursor.fetchall():
            if aware:
                at = at.replace(tzinfo=timezone.utc)
            row = EventRow(no, pk, kind, at, parse(data) if isinstance(data, str) else data, client_id, late)
            events.setdefault(no, []).append(row)
    return events


def _reading_cursor():
    """A cursor for reading many events. On PostgreSQL: a driver cursor on Django's connection that
    reads timestamps with psycopg's C loader (Django registers a Python one, about 2 µs a value:
    a fifth of a sweep's reading). The values are the same: aware, in the session's UTC."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    import psycopg
    from psycopg.pq import Format

    connection.ensure_connection()
    cursor = connection.connection.cursor()
    oid = psycopg.adapters.types["timestamptz"].oid
    cursor.adapters.register_loader(oid, psycopg.adapters.get_loader(oid, Format.TEXT))
    return cursor


def _matching(column, values):
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [values]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


def lock_cases(case_nos):
    """Wait for, then hold until the transaction ends, a lock per case (PostgreSQL advisory locks,
    taken in sorted order so two batches cannot deadlock). recompute takes them before it reads
    a case's events, so a concurrent batch writing events of the same case has committed by then
    and no projection is computed from half of a case's events. SQLite runs one writer at a time."""
    if connection.vendor == "postgresql" and case_nos:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(no)) FROM unnest(%s::text[]) AS no ORDER BY no",
                           [sorted(case_nos)])


def try_lock_cases(case_nos):
    """The cases whose lock (see lock_cases) could be taken at once; the others are being recomputed
    by another transaction right now. Never waits, so a sweep holding claimed rows cannot deadlock
    with an ingest that holds a case's lock and waits for its row."""
    if connection.vendor != "postgresql" or not case_nos:
        return list(case_nos)
    with connection.cursor() as cursor:
        cursor.execute("SELECT no FROM unnest(%s::text[]) AS no WHERE pg_try_advisory_xact_lock(hashtext(no))",
                       [list(case_nos)])
        return [row[0] for row in cursor.fetchall()]
