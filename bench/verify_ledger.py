"""verify_ledger: time and peak memory over a database filled through the real ingest path.

    .venv/bin/python bench/verify_ledger.py [--events 1000000] [--db postgres|sqlite] [--name DB] [--reuse] [--build-only]

10,000,000 events (PostgreSQL): fill a base through the real path with --build-only (stopped early if
need be: each import batch is its own transaction), grow it with bench/replicate_ledger.py, then time
it with --reuse.

Writes demo case histories (bench/import_events.py's generator), imports them with
`manage.py import_events --workers 2` (every event ledgered, one block per batch, as in production),
fixes the daily roots, then runs `manage.py verify_ledger` in a child process and samples its resident
memory, its CPU time, the time it waited for a core (run queue, /proc/PID/schedstat) and the CPU of its
PostgreSQL backend (read from /proc, polled), with the load average before and after. Prints the
measured figures and, below 10,000,000 events, separately the 10,000,000-event figures extrapolated linearly (verify_ledger's work is linear in the records; its
memory grows by 8 bytes a record for the id arrays) — an extrapolation, labelled as such.
"""
import argparse
import os
import resource
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import PY, ROOT, fresh_database, manage, write_result  # noqa: E402
from import_events import tree_rss_mib, write_file  # noqa: E402


def timed(url, *args):
    """(seconds, peak RSS MiB, return code, CPU seconds of the command's process) of a manage.py command."""
    env = dict(os.environ, DATABASE_URL=url)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    child = subprocess.Popen([PY, "manage.py", *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    peak, backends, polls = 0, {}, 0
    timed.waited = 0.0
    name = url.rsplit("/", 1)[1] if url.startswith("postgres") else None
    while child.poll() is None:
        peak = max(peak, tree_rss_mib(child.pid))
        timed.waited = max(timed.waited, _run_queue_wait(child.pid))
        if name and polls % 5 == 0:  # the command's PostgreSQL backends, found once a second
            for pid in _backends(name):
                backends.setdefault(pid, 0.0)
        for pid in backends:
            backends[pid] = max(backends[pid], _cpu(pid))
        polls += 1
        time.sleep(0.2)
    timed.server_cpu = sum(backends.values())
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, peak, child.returncode, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def _run_queue_wait(pid):
    """Seconds a process has been ready to run but waiting for a core (/proc/PID/schedstat), 0 once gone."""
    try:
        with open(f"/proc/{pid}/schedstat") as stat:
            return int(stat.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


def _backends(name):
    out = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc",
                          f"SELECT pid FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()"],
                         stdout=subprocess.PIPE, text=True).stdout
    return [int(p) for p in out.split()]


def _cpu(pid):
    """CPU seconds (user + system) a process has used so far, 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--db", default="postgres")
    parser.add_argument("--name", default="cw_bench_verify", help="the benchmark database's name")
    parser.add_argument("--reuse", action="store_true", help="verify the database as it is (filled by a former run)")
    parser.add_argument("--build-only", action="store_true", help="fill the database and fix its roots, do not verify")
    args = parser.parse_args()
    from common import database_url

    url = database_url(args.db, args.name)
    if not args.reuse:
        url = fresh_database(args.db, args.name)
        manage(url, "migrate", "--noinput")
        manage(url, "demo_setup", "--history-days", "0")
        manage(url, "create_api_client", "bench-verify", "--region", "152500")
        path = ROOT / "var" / f"{args.name}.jsonl"
        write_file(url, path, args.events)
        seconds, _, code, _ = timed(url, "import_events", str(path), "--client", "bench-verify", "--quiet",
                                 "--workers", "2")
        path.unlink()
        if code:
            raise SystemExit(f"import_events failed ({code})")
        print(f"imported in {seconds:.0f} s")
        # the roots of the closed days (the blocks were all written today: the roots are fixed as tomorrow's worker would)
        code = ("from datetime import timedelta; from django.utils import timezone; from ledger.ticks import fix_roots; "
                "print(fix_roots(timezone.now() + timedelta(days=1, hours=1)))")
        manage(url, "shell", "-c", code)
        if args.build_only:
            return
    sizes = subprocess.run([PY, "manage.py", "shell", "-c",
                            "from cases.models import CaseEvent; from alerts.models import AlertChange; "
                            "from ledger.models import Block; "
                            "print(CaseEvent.all_events.count(), AlertChange.objects.count(), Block.objects.count())"],
                           cwd=ROOT, env=dict(os.environ, DATABASE_URL=url), check=True, stdout=subprocess.PIPE,
                           text=True).stdout.split()
    events, changes, blocks = map(int, sizes[-3:])
    load_before = os.getloadavg()
    seconds, peak, code, cpu = timed(url, "verify_ledger")
    load_after = os.getloadavg()
    records = events + changes
    per_m = seconds / records * 1e6
    os.environ.pop("DATABASE_URL", None)
    result = {"db": args.db, "events": events, "alert_changes": changes, "blocks": blocks, "verified": code == 0,
              "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1),
              "server_cpu_seconds": round(timed.server_cpu, 1),
              "run_queue_wait_seconds": round(timed.waited, 1),  # ready to run, waiting for a core
              "load_average_before": [round(x, 2) for x in load_before],
              "load_average_after": [round(x, 2) for x in load_after],
              "peak_rss_mib": round(peak), "seconds_per_million_records": round(per_m, 1)}
    if events < 10_000_000:
        result.update({"extrapolated_10m_events_minutes": round(seconds * 10_000_000 / events / 60, 1),
                       "extrapolated_10m_events_peak_mib": round(
                           peak + (10_000_000 - events) * (1 + changes / events) * 8 / 2**20)})
    print(f"{args.db}: verify_ledger over {events:,} events, {changes:,} alert changes, {blocks:,} blocks: "
          f"{seconds:.0f} s ({cpu:.0f} s of CPU in verify_ledger's process, {timed.server_cpu:.0f} s in its database backend, "
          f"{timed.waited:.0f} s waiting for a core), peak RSS {peak:.0f} MiB, {'verified' if code == 0 else 'DIVERGENCES'}; "
          f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after")
    if events < 10_000_000:
        print(f"10,000,000 events extrapolated: ~{result['extrapolated_10m_events_minutes']} min, "
              f"~{result['extrapolated_10m_events_peak_mib']} MiB")
    write_result(f"verify_ledger-{args.db}", result)


if __name__ == "__main__":
    main()
