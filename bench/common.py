"""Shared helpers for the benchmarks: fresh databases, Django set-up, timing, JSON results.

Benchmarks print their figures and write bench/results/<name>.json; they never pass or fail on time.
"""
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PG_BASE = os.environ.get("PG_BENCH_URL", "postgres://postgres@127.0.0.1:5432")


def database_url(kind, name):
    if kind == "postgres":
        return f"{PG_BASE}/{name}"
    return f"sqlite:///{ROOT}/var/{name}.sqlite3"


def fresh_database(kind, name):
    """Drop and recreate the benchmark database; returns its DATABASE_URL."""
    url = database_url(kind, name)
    if kind == "postgres":
        host = "-h 127.0.0.1 -U postgres"
        subprocess.run(f"dropdb {host} --if-exists {name} && createdb {host} {name}", shell=True, check=True)
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{ROOT}/var/{name}.sqlite3{suffix}").unlink(missing_ok=True)
    return url


def manage(url, *args, quiet=True):
    env = dict(os.environ, DATABASE_URL=url)
    out = subprocess.DEVNULL if quiet else None
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=out)


def setup_django(url):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearwindow.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def start_server(url, port, workers=2):
    """The production server (gunicorn, pre-forked sync workers with persistent database
    connections) on 127.0.0.1:port against DATABASE_URL=url; returns the process once every worker
    has loaded the application (gunicorn's post_worker_init hook leaves a file per worker) and the
    server answers HTTP, so that a benchmark times a running server, not its start. (The first answer
    alone proves only one worker: until 2026-12-05 a run of whole cases, 1.3 s long, began while the
    second worker was still importing, about a fifth of a second of it.)"""
    ready = Path(tempfile.mkdtemp(prefix="cw-bench-gunicorn-"))
    config = ready / "gunicorn_conf.py"
    config.write_text("def post_worker_init(worker):\n"  # a worker restarted after the start finds no folder
                      f"    try:\n        open({str(ready)!r} + '/worker-%d' % worker.pid, 'w').close()\n"
                      "    except OSError:\n        pass\n")
    env = dict(os.environ, DATABASE_URL=url)
    proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "--config", str(config), "--workers",
                             str(workers), "--bind", f"127.0.0.1:{port}", "--timeout", "300", "clearwindow.wsgi"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            if len(list(ready.glob("worker-*"))) >= workers:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=5):
                        return proc
                except OSError:
                    pass
            time.sleep(0.1)
    finally:
        shutil.rmtree(ready, ignore_errors=True)
    proc.terminate()
    raise RuntimeError(f"server on {port} did not start")


def stop_server(proc):
    proc.terminate()
    proc.wait()


def percentile(values, p):
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary_ms(samples):
    return {"n": len(samples), "p50_ms": round(percentile(samples, 50) * 1000, 2),
            "p95_ms": round(percentile(samples, 95) * 1000, 2), "mean_ms": round(statistics.mean(samples) * 1000, 2)}


def postgres_settings():
    """The server settings that decide bulk-write speed, as the results were measured with them."""
    import psycopg

    try:
        with psycopg.connect(f"{PG_BASE}/postgres") as conn:
            return {name: conn.execute(f"SHOW {name}").fetchone()[0] for name in PG_SETTINGS}
    except psycopg.Error as err:
        return {"error": str(err)}


PG_SETTINGS = ("server_version", "shared_buffers", "max_wal_size", "checkpoint_timeout", "jit", "autovacuum",
               "synchronous_commit")


def write_result(name, data):
    data = {"benchmark": name, "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "machine": platform.node(),
            "cores": os.cpu_count(), "postgres": postgres_settings(), **data}
    path = ROOT / "bench" / "results" / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    print(f"→ {path.relative_to(ROOT)}")
    return data


def copy_rows(table, columns, rows, chunk=200_000):
    """COPY rows (tuples of str) into table through Django's own psycopg connection."""
    from django.db import connection

    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor:
        with cursor.cursor.copy(sql) as copy:
            buf = io.StringIO()
            n = 0
            for row in rows:
                buf.write("\t".join(row))
                buf.write("\n")
                n += 1
                if n % chunk == 0:
                    copy.write(buf.getvalue())
                    buf = io.StringIO()
            copy.write(buf.getvalue())
    return n


def copy_timed(timings, what, table, columns, rows):
    """copy_rows, timed: the seconds go in timings[f"{what}_s"] and a line says how many rows took how long."""
    started = time.perf_counter()
    n = copy_rows(table, columns, rows)
    timings[f"{what}_s"] = round(time.perf_counter() - started, 1)
    print(f"  {what}: {n:,} in {timings[f'{what}_s']} s", flush=True)
    return n
