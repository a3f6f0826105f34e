"""import_events: throughput and peak memory of a streaming back-fill.

    .venv/bin/python bench/import_events.py [--events 300000] [--db postgres|sqlite]

Writes a JSON Lines file of realistic demo case histories, imports it with
`manage.py import_events` in a child process and reads the child's peak RSS from the kernel
(VmHWM in /proc/<pid>/status). Memory must stay flat whatever the file's size; the time for
10,000,000 events is extrapolated from the measured rate and printed as such.
"""
import argparse
import json
import os
import subprocess
import sys
import time
from datetime import timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import PY, ROOT, fresh_database, manage, setup_django, write_result  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=300_000)
    parser.add_argument("--db", default="postgres")
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
    child = subprocess.Popen([PY, "manage.py", "import_events", str(path), "--client", "bench-import", "--quiet"],
                             cwd=ROOT, env=env)
    peak_mib = 0
    while child.poll() is None:  # VmHWM: the kernel's high-water mark of the importer's resident memory
        peak_mib = max(peak_mib, high_water_mib(child.pid))
        time.sleep(0.5)
    seconds = time.perf_counter() - started
    if child.returncode:
        raise SystemExit(f"import_events failed ({child.returncode})")
    rate = written / seconds
    print(f"{args.db}: {written:,} events ({size_mb:.0f} MiB) imported in {seconds:.0f} s = {rate:,.0f} events/s; "
          f"peak RSS {peak_mib:.0f} MiB; 10,000,000 events would take ~{10_000_000 / rate / 60:.0f} min (extrapolated)")
    path.unlink()
    write_result(f"import_events-{args.db}", {"events": written, "file_mib": round(size_mb), "seconds": round(seconds),
                                              "events_per_s": round(rate), "peak_rss_mib": round(peak_mib),
                                              "extrapolated_10m_minutes": round(10_000_000 / rate / 60)})


def high_water_mib(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0


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
now = timezone.now(); today = now.date(); n = 0
with open({str(path)!r}, "w") as out:
    for case in history.generate(build(2025), today - timedelta(days=700), today, until=now, cal=load_calendar(),
                                 scale=3.0):
        for event in case:
            out.write(json.dumps(event, ensure_ascii=False) + "\\n")
        n += len(case)
        if n >= {wanted}:
            break
print(n)
"""
    out = subprocess.run([PY, "-c", code], cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True).stdout
    return int(out.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
