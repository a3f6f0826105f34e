"""Grow a verify_ledger benchmark database to N events faster than the real ingest path can, from
what the real path left in it (PostgreSQL only).

    .venv/bin/python bench/replicate_ledger.py --name cw_bench_verify --events 10000000

The base must have been filled by `bench/verify_ledger.py --build-only` (events imported through
`import_events`, every event ledgered in its transaction's block). Its blocks are replayed, in
(lane, seq) order, as copies: each copy's case events are the base's rows with their id shifted and
`-rK` appended to `event_id` and `case_no` (K the copy), its alert changes the base's rows with their id
shifted (same alert); each block's body is the base block's body with the same changes, serialised and
chained as the ledger writes blocks (`ledger.chain.dumps`, `block_hash`, appended to the block's own
lane, whose head moves). The rows are copied by SQL (INSERT … SELECT, every column as stored) in the
same transaction as their blocks. Refusal sections (few) are not copied. Then the closed day's roots
are fixed as the worker would. What this leaves is what ingest leaves for verify_ledger (blocks, lanes,
rows of the ledgered tables, roots); the case projection (cases, alerts) is not copied: verify_ledger
does not read it. verify_ledger over the result checks the copy like any other ledger.
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import database_url, setup_django  # noqa: E402

EVENT, CHANGE = "cases.caseevent", "alerts.alertchange"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--name", default="cw_bench_verify")
    parser.add_argument("--events", type=int, default=10_000_000)
    args = parser.parse_args()
    setup_django(database_url("postgres", args.name))

    import orjson
    from django.db import connection, transaction
    from django.utils import timezone

    from ledger.chain import block_hash, dumps
    from ledger.models import Block, Lane

    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id), count(*) FROM cases_caseevent")
        max_event, events = cursor.fetchone()
        cursor.execute("SELECT coalesce(max(id), 0) FROM alerts_alertchange")
        max_change = cursor.fetchone()[0]
    step_event, step_change = _round_up(max_event), _round_up(max_change)
    base = list(Block.objects.order_by("lane", "seq").values_list("id", flat=True))
    print(f"base: {events:,} events in {len(base):,} blocks; copying up to {args.events:,} events", flush=True)
    event_columns = _columns(connection, "cases_caseevent")
    change_columns = _columns(connection, "alerts_alertchange")
    started, copy = time.perf_counter(), 0
    while events < args.events:
        copy += 1
        suffix = f"-r{copy}"
        for at in range(0, len(base), 40):
            if events >= args.events:
                break
            with transaction.atomic():
                lanes = {n: [s, h] for n, s, h in Lane.objects.select_for_update().values_list("number", "seq", "head")}
                event_ids, change_ids, rows = [], [], []
                now = timezone.now()
                for lane, body in Block.objects.filter(id__in=base[at:at + 40]).order_by("lane", "seq").values_list(
                        "lane", "body"):
                    sections = []
                    for kind, columns, records in orjson.loads(body):
                        if kind == EVENT:
                            e_id, c_no, i = columns.index("event_id"), columns.index("case_no"), 0
                            for values in records:
                                event_ids.append(values[0])
                                values[0] += copy * step_event
                                values[e_id] += suffix
                                values[c_no] += suffix
                            events += len(records)
                        elif kind == CHANGE:
                            for values in records:
                                change_ids.append(values[0])
                                values[0] += copy * step_change
                        else:
                            continue
                        sections.append([kind, columns, records])
                    if not sections:
                        continue
                    new_body = dumps(sections)
                    seq, head = lanes[lane]
                    digest = block_hash(head, lane, seq + 1, now, new_body)
                    rows.append((lane, seq + 1, now, new_body.decode(), sum(len(s[2]) for s in sections), head,
                                 digest))
                    lanes[lane] = [seq + 1, digest]
                with connection.cursor() as cursor:
                    _copy_rows(cursor, "cases_caseevent", event_columns, event_ids, copy * step_event,
                               {"event_id": suffix, "case_no": suffix})
                    _copy_rows(cursor, "alerts_alertchange", change_columns, change_ids, copy * step_change, {})
                    cursor.executemany("INSERT INTO ledger_block (lane, seq, at, body, records, prev, hash, records_root) "
                                       "VALUES (%s, %s, %s, %s, %s, %s, %s, '')", rows)
                    cursor.executemany("UPDATE ledger_lane SET seq = %s, head = %s WHERE number = %s",
                                       [(s, h, n) for n, (s, h) in lanes.items()])
            print(f"copy {copy}: {events:,} events ({time.perf_counter() - started:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        for table in ("cases_caseevent", "alerts_alertchange"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        cursor.execute("ANALYZE")
    from datetime import timedelta

    from ledger.roots import fix_roots

    print("roots fixed:", fix_roots(timezone.now() + timedelta(days=1, hours=1)))
    print(f"{events:,} events in {time.perf_counter() - started:.0f} s")


def _round_up(n):
    """A step for shifting ids: above n, a round number."""
    step = 1_000_000
    while step <= n:
        step += 1_000_000
    return step


def _columns(connection, table):
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, table)]


def _copy_rows(cursor, table, columns, ids, shift, suffixes):
    """Copy the rows `ids` of `table` with their id shifted and `suffixes` appended ({column: text})."""
    if not ids:
        return
    values = ", ".join("id + %s" if c == "id" else f"{c} || %s" if c in suffixes else c for c in columns)
    params = [shift if c == "id" else suffixes[c] for c in columns if c == "id" or c in suffixes]
    cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {values} FROM {table} WHERE id = ANY(%s)",
                   [*params, ids])


if __name__ == "__main__":
    main()
