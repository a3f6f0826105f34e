"""Video benchmark: CPU and memory of recording N cameras (default 33) in one `manage.py record`
process, the simulated cameras' own cost, and the time to seal a 2-minute evidence clip.

    .venv/bin/python bench/video.py [--cameras 33] [--seconds 150]

A fresh SQLite database under var/, a private VIDEO_ROOT, one simcam.py serving N mount points.
CPU % is of ONE core (utime+stime over wall time, from /proc), memory is the peak resident set.
"""
import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PY, ROOT, fresh_database, manage, setup_django, write_result  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")
PORT = 18654


def cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def rss_mib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(procs, seconds, warmup=15):
    """Sample CPU and RSS of each named process over `seconds` after a warm-up."""
    time.sleep(warmup)
    start = {name: cpu_seconds(p.pid) for name, p in procs.items()}
    t0, peak = time.monotonic(), {name: 0.0 for name in procs}
    while time.monotonic() - t0 < seconds:
        for name, p in procs.items():
            peak[name] = max(peak[name], rss_mib(p.pid))
        time.sleep(1)
    wall = time.monotonic() - t0
    return {name: {"cpu_percent_of_one_core": round(100 * (cpu_seconds(p.pid) - start[name]) / wall, 2),
                   "peak_rss_mib": round(peak[name], 1)} for name, p in procs.items()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cameras", type=int, default=33)
    parser.add_argument("--seconds", type=int, default=150, help="recording time (≥ 130 for the 2-minute clip)")
    args = parser.parse_args()
    url = fresh_database("sqlite", "bench_video")
    manage(url, "migrate", "--noinput")
    media = tempfile.mkdtemp(prefix="cw-bench-video-")
    os.environ.update(VIDEO_ROOT=f"{media}/video", EVIDENCE_ROOT=f"{media}/evidence", VIDEO_SEGMENT_SECONDS="60")
    setup_django(url)
    from orgs.models import Hall, Region
    from video.models import Camera

    region = Region.objects.create(code="152500", name="锡林郭勒盟", level="league")
    hall = Hall.objects.create(code="BENCH", name="基准大厅", kind="centre_hall", region=region)
    codes = [f"B{i:02d}" for i in range(args.cameras)]
    Camera.objects.bulk_create([Camera(code=c, name=c, hall=hall, stream_url=f"rtsp://127.0.0.1:{PORT}/{c}")
                                for c in codes])
    env = dict(os.environ, DATABASE_URL=url)
    simcam = subprocess.Popen(["/usr/bin/python3", "video/simcam.py", "--port", str(PORT), *codes], cwd=ROOT,
                              stdout=subprocess.DEVNULL)
    time.sleep(1.5)
    recorder = subprocess.Popen([PY, "manage.py", "record"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    try:
        usage = measure({"recorder": recorder, "simcam": simcam}, args.seconds - 15)
    finally:
        recorder.send_signal(signal.SIGTERM)
        recorder.wait(30)
        simcam.send_signal(signal.SIGTERM)
        simcam.wait(10)
    clip_seconds = seal_clip(codes[0])
    from video.models import Segment

    recorded = Segment.objects.values("camera").distinct().count()
    result = {"cameras": args.cameras, "cameras_recorded": recorded, "recorded_seconds": args.seconds, **usage,
              "segments": Segment.objects.count(), "clip_2min_seconds": clip_seconds}
    print(f"{recorded} of {args.cameras} cameras recorded, {result['segments']} segments")
    print(f"recording {args.cameras} cameras: recorder {usage['recorder']['cpu_percent_of_one_core']} % of one core, "
          f"peak {usage['recorder']['peak_rss_mib']} MiB; simulated cameras "
          f"{usage['simcam']['cpu_percent_of_one_core']} % / {usage['simcam']['peak_rss_mib']} MiB; "
          f"2-minute clip sealed in {clip_seconds} s")
    write_result("video", result)


def seal_clip(code):
    from datetime import timedelta

    from video.evidence import do_seal_clip
    from video.models import Camera, Segment

    camera = Camera.objects.get(code=code)
    first = Segment.objects.filter(camera=camera).order_by("start").first()
    last = Segment.objects.filter(camera=camera).order_by("start").last()
    if first is None or (last.end - first.start).total_seconds() < 125:
        return None
    instant = first.start + timedelta(seconds=62)
    t0 = time.monotonic()
    clip = do_seal_clip(camera, instant, actor="bench")
    elapsed = round(time.monotonic() - t0, 3)
    print(f"clip {clip.start:%H:%M:%S}–{clip.end:%H:%M:%S} ({(clip.end - clip.start).total_seconds():.1f} s, "
          f"{clip.size // 1024} KiB)")
    return elapsed


if __name__ == "__main__":
    main()
