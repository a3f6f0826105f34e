"""import_events: throughput and peak memory of a streaming back-fill.

    .venv/bin/python bench/import_events.py [--events 300000] [--db postgres|sqlite] [--workers 2]

Writes a JSON Lines file of realistic demo case histories, imports it with
`manage.py import_events --workers N` in a child process and samples the resident memory of that
process and its workers together (VmRSS in /proc, every 0.2 s). Memory must stay flat whatever the file's size; the time for
10,000,000 events is extrapolated from the measured rate and printed as such.
"""
import argparse
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import PY, ROOT, fresh_database, manage, write_result  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=300_000)
    parser.add_argument("--db", default="postgres")
    parser.add_argument("--workers", type=int, default=2, help="import_events --workers (default 2: one per core)")
    args = parser.parse_args()
    url = fresh_database(args.db, "cw_bench_import")
    manage(url, "migrate", "--noinput")
    manage(url, "demo_setup", "--history-days", "0")
    manage(url, "create_api_client", "bench-import", "--region", "152500")
    path = ROOT / "var" / "bench-import.jsonl"
    written = write_file(url, path, args.events)
    size_mb = path.stat().st_size / 2**20
    env = dict(os.environ, DATABASE_URL=url)
    started = time.perf_counter()
    child = subprocess.Popen([PY, "manage.py", "import_events", str(path), "--client", "bench-import", "--quiet",
                              "--workers", str(args.workers)], cwd=ROOT, env=env)
    peak_mib = 0
    while child.poll() is None:  # the importer and its workers together: the most they held at once
        peak_mib = max(peak_mib, tree_rss_mib(child.pid))
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    if child.returncode:
        raise SystemExit(f"import_events failed ({child.returncode})")
    rate = written / seconds
    print(f"{args.db}: {written:,} events ({size_mb:.0f} MiB) imported by {args.workers} worker(s) in {seconds:.0f} s "
          f"= {rate:,.0f} events/s; peak RSS {peak_mib:.0f} MiB (all processes); 10,000,000 events would take ~{10_000_000 / rate / 60:.0f} min (extrapolated)")
    path.unlink()
    write_result(f"import_events-{args.db}", {"events": written, "file_mib": round(size_mb), "seconds": round(seconds),
                                              "events_per_s": round(rate), "workers": args.workers,
                                              "peak_rss_mib": round(peak_mib),
                                              "extrapolated_10m_minutes": round(10_000_000 / rate / 60)})


def tree_rss_mib(pid):
    """Resident memory of a process and all its descendants now, in MiB (sampled: a 0.2 s poll)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                total += next((int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0)
            with open(f"/proc/{current}/task/{current}/children") as children:
                todo.extend(int(p) for p in children.read().split())
        except OSError:
            pass
    return total / 1024


def write_file(url, path, wanted):
    """Generate in a child so that this process's own memory does not count as the importer's."""
    code = f"""
import json, sys
sys.path.insert(0, {str(ROOT / 'bench')!r})
from common import setup_django
setup_django({url!r})
from datetime import timedelta
from django.utils import timezone
from demo import history
from demo.region import build
from workdays.models import load_calendar
now = timezone.now(); today = now.date(); n = 0; demo = build(2025); cal = load_calendar()
with open({str(path)!r}, "w") as out:
    for copy in range(1000):  # two years of the demo region hold ~2.4M events: later copies get new numbers
        for case in history.generate(demo, today - timedelta(days=700), today, until=now, cal=cal, scale=3.0):
            for event in case:
                if copy:
                    event = dict(event, case_no=f"{{event['case_no']}}-{{copy}}", event_id=f"{{event['event_id']}}-{{copy}}")
                out.write(json.dumps(event, ensure_ascii=False) + "\\n")
            n += len(case)
            if n >= {wanted}:
                break
        if n >= {wanted}:
            break
print(n)
"""
    out = subprocess.run([PY, "-c", code], cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True).stdout
    return int(out.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
