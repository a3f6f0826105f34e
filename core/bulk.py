"""Bulk writes for the hot paths (DESIGN.md, core idea 4), behind one small module.

Django's bulk_create builds one statement with a parameter per value; with client-side binding
psycopg re-parses it on every call, and for a few hundred rows of thirty columns that costs more
than the database's work. Here:

- PostgreSQL: COPY, binary into tables (text into temporary tables, followed by one
  INSERT … SELECT … ON CONFLICT for an upsert). Ids for new rows come from the table's sequence
  in one query, so rows that others point to (alerts and their change rows) can be written by COPY.
- SQLite: executemany of one prepared statement (the driver binds natively); rows whose ids are
  needed go through bulk_create, which reads them back with RETURNING.

Values are taken from model instances by field (`attname`), converted only where the driver
needs it (JSON as psycopg's Jsonb on PostgreSQL and as text on SQLite; on SQLite datetimes to
naive UTC text, as the ORM stores them).

Inside `orm_path()` every function here goes through the Django ORM instead (Model.__init__,
bulk_create, bulk_update; cases.bulk stores events with create()), and ingest hands recompute nothing
it knows ahead: the plain path, which cases/tests/test_engine_paths.py shows gives exactly the rows of
the fast one on both databases. Only the engine (ingest, projection, alerts.actions) writes through
this module's fast path; other apps build instances as the ORM does.
"""
import json
import zlib
from contextlib import contextmanager
from contextvars import ContextVar
from operator import attrgetter

from django.db import connection, transaction
from django.db.models import DateTimeField, DecimalField, Field, JSONField, Lookup, signals
from django.db.models.base import ModelState
from django.utils import timezone
from psycopg.types.json import Jsonb

from .jsontext import dump


_SHAPES = {}
_ORM = ContextVar("core.bulk.orm_path", default=False)


@contextmanager
def orm_path():
    """Within the block, this module (and ingest) take the plain ORM path: see the module's docstring."""
    token = _ORM.set(True)
    try:
        yield
    finally:
        _ORM.reset(token)


def plain():
    """Whether the plain ORM path is taken (orm_path)."""
    return _ORM.get()


def build(model, **values):
    """A new, unsaved instance made the quick way, for batches that make thousands: the field values
    go straight into the instance's __dict__, as Model.__init__ would leave them (its per-field
    descriptor calls and default lookups cost ten times as much). `values` are keyed by attname
    (`department_id`, not `department`); other fields take their default. Models with init signal
    receivers are built by Model.__init__."""
    if _ORM.get():
        return model(**values)
    shape = _SHAPES.get(model)
    if shape is None:
        shape = _SHAPES[model] = _shape(model)
    names, fixed, made = shape
    unknown = values.keys() - names
    if unknown:
        raise TypeError(f"{model.__name__} has no field(s) {', '.join(sorted(unknown))}")
    state = {**fixed, **{name: make() for name, make in made if name not in values}, **values}
    if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        return model(**{name: state[name] for name in names})
    return _instance(model, state)


def fetch(queryset):
    """The queryset's model instances, made as build() makes them from the rows of values_list (the
    ORM's converters applied): Model.from_db's __init__ cost more than reading the rows."""
    if _ORM.get():
        return list(queryset)
    model = queryset.model
    names = [f.attname for f in model._meta.concrete_fields]
    return [_instance(model, zip(names, row), db=queryset.db) for row in queryset.values_list(*names)]


def _instance(model, values, db=None):
    """An instance holding `values` ({attname: value} or pairs) without Model.__init__; with `db`,
    one read from that database (not `adding`)."""
    obj = model.__new__(model)
    obj._state = ModelState()
    if db is not None:
        obj._state.adding, obj._state.db = False, db
    obj.__dict__.update(values)
    return obj


def _shape(model):
    """(attnames, {attname: constant default}, [(attname, callable default)]) of a model's fields."""
    fields = model._meta.concrete_fields
    made = [(f.attname, f.get_default) for f in fields if f.has_default() and callable(f.default)]
    fixed = {f.attname: f.get_default() for f in fields if not (f.has_default() and callable(f.default))}
    return frozenset(f.attname for f in fields), fixed, made


def insert(model, objs, *, ids=False):
    """Insert model instances (no conflict handling). ids=True sets each object's pk first."""
    if not objs:
        return
    if _ORM.get():
        model._base_manager.bulk_create(objs)  # sets each pk (RETURNING)
        return
    if ids and connection.vendor != "postgresql":
        _insert_numbered(model, objs)
        return
    if ids:
        _assign_ids(model, objs)
    fields = _fields(model, include_pk=ids)
    rows = _rows(objs, fields)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            types = column_types(cursor, model._meta.db_table, [f.column for f in fields])
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(types)
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
    _saved(objs)


def _saved(objs):
    """Mark the objects stored, as save() leaves them (the alias read once: each read through Django's
    connection proxy is a thread-local look-up, about 1 ms in a batch of events)."""
    alias = connection.alias
    for obj in objs:
        obj._state.adding, obj._state.db = False, alias


def _insert_numbered(model, objs):
    """SQLite: insert, then set each object's pk. SQLite has one writer: inside a transaction, once
    the first row is written nobody else writes until it ends, so the rows take consecutive ids, the
    last one last_insert_rowid() (Django's bulk_create reads them back with RETURNING, but prepares
    every value through the ORM: four times the cost for a batch of alerts)."""
    fields = _fields(model, include_pk=False)
    rows = _rows(objs, fields)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:  # no savepoint: 2 queries
        cursor.executemany(f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) "
                           f"VALUES ({marks})", rows)
        cursor.execute("SELECT last_insert_rowid()")
        last = cursor.fetchone()[0]
    for pk, obj in enumerate(objs, start=last - len(objs) + 1):
        obj.pk = pk
    _saved(objs)


def upsert_rows(table, columns, rows, *, conflict, sets=None):
    """INSERT rows (tuples in `columns` order) … ON CONFLICT (conflict columns) DO UPDATE SET sets
    (SQL fragments that may use `excluded.` and the table's name), or DO NOTHING without `sets` (a row
    already stored stays). Keys must be unique in rows."""
    if not rows:
        return
    q = connection.ops.quote_name
    cols = ", ".join(q(c) for c in columns)
    action = f"DO UPDATE SET {', '.join(sets)}" if sets else "DO NOTHING"
    tail = f"ON CONFLICT ({', '.join(q(c) for c in conflict)}) {action}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with _staged(cursor, table, columns, rows) as temp:
                # in key order: two transactions upserting overlapping keys lock them in the same
                # order and cannot deadlock (the live counters' rows are shared by every batch)
                order = ", ".join(q(c) for c in conflict)
                cursor.execute(f"INSERT INTO {q(table)} ({cols}) SELECT {cols} FROM {temp} ORDER BY {order} {tail}")
        else:
            marks = ", ".join(["%s"] * len(columns))  # one writer at a time: order does not matter
            cursor.executemany(f"INSERT INTO {q(table)} ({cols}) VALUES ({marks}) {tail}", rows)


def update(model, objs, fields):
    """UPDATE the named fields of existing rows from model instances (by primary key). Django's
    bulk_update writes one CASE WHEN branch per row into every column, which grows with the square
    of the batch; here PostgreSQL joins a COPY-filled temporary table, SQLite runs executemany."""
    if not objs:
        return
    if _ORM.get():
        _stamp([model._meta.get_field(name) for name in fields], objs)
        model._base_manager.bulk_update(objs, fields)
        return
    q = connection.ops.quote_name
    pk = model._meta.pk
    chosen = [model._meta.get_field(name) for name in fields]
    rows = _rows(objs, [pk] + chosen)
    table = q(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with _staged(cursor, model._meta.db_table, [f.column for f in [pk] + chosen], rows) as temp:
                sets = ", ".join(f"{q(f.column)} = {temp}.{q(f.column)}" for f in chosen)
                cursor.execute(f"UPDATE {table} SET {sets} FROM {temp} "
                               f"WHERE {table}.{q(pk.column)} = {temp}.{q(pk.column)}")
        else:
            sets = ", ".join(f"{q(f.column)} = %s" for f in chosen)
            cursor.executemany(f"UPDATE {table} SET {sets} WHERE {q(pk.column)} = %s",
                               [row[1:] + row[:1] for row in rows])


@contextmanager
def _staged(cursor, table, columns, rows):
    """A session's temporary table shaped like `columns` of `table`, filled with rows by binary COPY for
    the duration of the block, inside a transaction (the caller's, else one of its own). The rows go
    when the transaction ends (ON COMMIT DELETE ROWS cuts the table's file back in place: a TRUNCATE
    after each use gave it a new file and catalogue entry every time, about 0.3 ms of the server's CPU
    each, twice a batch of events); a second use within one transaction deletes the first one's rows."""
    q = connection.ops.quote_name
    cols = ", ".join(q(c) for c in columns)
    temp = q(f"_stage_{table}_{zlib.crc32(cols.encode()):08x}")  # one per table and set of columns
    with transaction.atomic(savepoint=False):
        ensure_temp_table(cursor, temp, f"CREATE TEMP TABLE IF NOT EXISTS {temp} ON COMMIT DELETE ROWS "
                                        f"AS SELECT {cols} FROM {q(table)} WITH NO DATA")
        if _used_before(temp):
            cursor.execute(f"DELETE FROM {temp}")
        types = column_types(cursor, table, columns)  # the temporary table's are the same
        # binary: in text psycopg formatted every date and instant by str() (about 3,800 a live-feed batch)
        with cursor.cursor.copy(f"COPY {temp} ({cols}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(types)
            for row in rows:
                copy.write_row(row)
        yield temp


def _used_before(temp):
    """Whether the temporary table `temp` was filled earlier in this transaction, so may hold rows still.
    A transaction is told by its outermost atomic block: a new transaction that happens to reuse one (a
    function decorated with transaction.atomic) costs a DELETE of nothing, never a missed one."""
    used = getattr(connection.connection, "_cw_staged_in", None)
    if used is None:
        used = connection.connection._cw_staged_in = {}
    outermost = connection.atomic_blocks[0]
    if used.get(temp) is outermost:
        return True
    used[temp] = outermost
    return False


def ensure_temp_table(cursor, name, create):
    """Run `create` (the SQL that makes the session's temporary table `name`) unless this database
    session made it already: a round trip less each time a batch stages rows. Remembered on the
    driver's connection (a new session starts with none) once the creating transaction has committed
    (a rolled-back CREATE leaves no table)."""
    made = getattr(connection.connection, "_cw_temp_tables", None)
    if made is None:
        made = connection.connection._cw_temp_tables = set()
    if name not in made:
        cursor.execute(create)
        transaction.on_commit(lambda: made.add(name))


_TYPES = {}


def column_types(cursor, table, columns):
    """The type oids of columns of a table, for a binary COPY (read once per table: built-in types,
    whose oids are the same in every database)."""
    types = _TYPES.get(table)
    if types is None:
        cursor.execute("SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0",
                       [table])
        types = _TYPES[table] = dict(cursor.fetchall())
    return [types[c] for c in columns]


_SEQUENCES = {}


def next_ids(cursor, table, column, n):
    """n new values of a table's id sequence (PostgreSQL), in one query. The sequence is named as a
    constant: pg_get_serial_sequence in the query cost 4 µs a value, nextval itself 0.5 µs."""
    seq = _SEQUENCES.get((table, column))
    if seq is None:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
        seq = _SEQUENCES[table, column] = cursor.fetchone()[0]
    cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [seq, n])
    return [value for (value,) in cursor.fetchall()]


def _assign_ids(model, objs):
    """New primary keys for objs from the table's sequence (PostgreSQL), in one query."""
    with connection.cursor() as cursor:
        for obj, value in zip(objs, next_ids(cursor, model._meta.db_table, model._meta.pk.column, len(objs))):
            obj.pk = value


def _fields(model, include_pk):
    return [f for f in model._meta.concrete_fields if include_pk or not f.primary_key]


def _rows(objs, fields):
    """Tuples of the fields' values of each object, converted for the driver. auto_now and empty
    auto_now_add fields are set first, as Model.save would (one instant for the whole batch)."""
    _stamp(fields, objs)
    names = [f.attname for f in fields]
    get = attrgetter(*names) if len(names) > 1 else (lambda obj: (getattr(obj, names[0]),))
    converted = [(i, conv) for i, conv in enumerate(_converter(f) for f in fields) if conv]
    if not converted:
        return [get(obj) for obj in objs]
    rows = []
    for obj in objs:
        row = list(get(obj))
        for i, conv in converted:
            row[i] = conv(row[i])
        rows.append(tuple(row))
    return rows


def _stamp(fields, objs):
    """Set the auto_now fields among `fields` (and the empty auto_now_add ones), as Model.save would:
    one instant for the whole batch."""
    auto = [f for f in fields if isinstance(f, DateTimeField) and (f.auto_now or f.auto_now_add)]
    if auto:
        stamp = timezone.now()
        for obj in objs:
            for f in auto:
                if f.auto_now or getattr(obj, f.attname) is None:
                    setattr(obj, f.attname, stamp)


def _converter(field):
    if isinstance(field, JSONField):
        if field.encoder is None:
            to_text = dump
        else:
            to_text = lambda value: json.dumps(value, ensure_ascii=False, cls=field.encoder)  # noqa: E731
        if connection.vendor == "postgresql":  # binary COPY: the value, with the function that writes it
            return lambda value: None if value is None else Jsonb(value, dumps=to_text)
        return to_text
    if connection.vendor != "postgresql" and isinstance(field, (DateTimeField, DecimalField)):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


@Field.register_lookup
class AnyOf(Lookup):
    """`field__anyof=[…]`: membership in a long list. PostgreSQL binds the list as one array
    parameter (= ANY(%s)) instead of thousands of IN placeholders; elsewhere it is IN (…)."""

    lookup_name = "anyof"
    prepare_rhs = False  # the right-hand side is a list: each value is prepared on its own

    def get_db_prep_lookup(self, value, connection):
        values = [self.lhs.output_field.get_db_prep_value(v, connection, prepared=False) for v in value]
        return "%s", [values]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        _, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(%s)", lhs_params + rhs_params

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if not values:
            return "1 = 0", lhs_params
        marks = ", ".join(["%s"] * len(values))
        prep = self.lhs.output_field.get_db_prep_value
        return f"{lhs} IN ({marks})", lhs_params + [prep(v, connection, prepared=False) for v in values]
