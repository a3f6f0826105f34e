"""The recorder: one process, one thread per active camera (video/capture.py), this main loop writing
what the threads report to the database in batches, and supervising them.

- segments: a row when a file opens, its parts as they finish, its end when sealed;
- health: online / offline with their alerts (video/health.py), last_seen_at every few seconds;
- supervision: camera list reloaded every `reload_seconds` (new, removed, changed address); a thread
  that died is started again; a camera that comes back is reconnected by its own thread's back-off;
- crash safety: at start, segments a killed recorder left open are closed at the end of their last
  complete part (the bytes are on disk: the muxer flushes every packet);
- retention: the retention tick runs every `retention_seconds` (it also runs in `supervise`).
"""
import logging
import os
import queue
import time
from datetime import timedelta

from django.db import close_old_connections
from django.utils import timezone

from .capture import CameraThread
from .conf import offline_seconds, segment_seconds, video_root
from .health import do_mark_cameras
from .models import Camera, CameraStatus, Segment
from .retention import do_expire_segments

log = logging.getLogger("clearwindow.record")
# The parts of the files being written are indexed every INDEX_SECONDS (sealed files at once): a
# recorder killed in between loses at most that much of its open files' index (the bytes are on disk).
INDEX_SECONDS = 5.0


def repair_open_segments(root=None):
    """Close the segments a dead recorder left open; drop those with no complete part. Returns how many."""
    root = root or video_root()
    fixed, empty = [], []
    for seg in Segment.objects.filter(end__isnull=True):
        if seg.parts:
            seg.end = seg.start + timedelta(seconds=seg.seconds)
            seg.size = _size(root / seg.path)
            fixed.append(seg)
        else:
            empty.append(seg)
    Segment.objects.bulk_update(fixed, ["end", "size"])
    Segment.objects.filter(pk__in=[s.pk for s in empty]).delete()
    for seg in empty:
        _remove(root / seg.path)
    return len(fixed) + len(empty)


def _size(path):
    try:
        return os.path.getsize(path)
    except FileNotFoundError:
        return 0


def _remove(path):
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


class Recorder:
    def __init__(self, *, codes=None, reload_seconds=10.0, retention_seconds=60.0, stdout=None):
        self.root = video_root()
        self.codes = set(codes) if codes else None
        self.reload_seconds, self.retention_seconds = reload_seconds, retention_seconds
        self.events = queue.Queue()
        self.threads = {}  # code -> (thread, url)
        self.open = {}  # rel path -> Segment
        self.pending_parts = {}  # rel path -> Segment whose new parts are not yet in the index
        self.next_index = 0.0
        self.stdout = stdout
        self.stopping = False

    def say(self, text):
        if self.stdout:
            self.stdout.write(f"{timezone.now():%Y-%m-%d %H:%M:%S} {text}")

    # ---- threads ------------------------------------------------------------------------------
    def cameras(self):
        qs = Camera.objects.filter(active=True)
        if self.codes is not None:
            qs = qs.filter(code__in=self.codes)
        return dict(qs.values_list("code", "stream_url"))

    def sync_threads(self):
        """Start, stop and restart recording threads to match the active cameras."""
        wanted = self.cameras()
        for code, (thread, url) in list(self.threads.items()):
            if wanted.get(code) != url:
                thread.stop()
                del self.threads[code]
            elif not thread.is_alive():
                self.say(f"{code}: recording thread died, restarting")
                del self.threads[code]
        for code, url in wanted.items():
            if code not in self.threads:
                thread = CameraThread(code, url, str(self.root), self.events, segment_seconds=segment_seconds(),
                                      offline_after=offline_seconds(), tz=timezone.get_current_timezone())
                thread.start()
                self.threads[code] = (thread, url)
        return len(wanted)

    def stop(self):
        self.stopping = True
        for thread, _url in self.threads.values():
            thread.stop()

    def join(self, timeout=15.0):
        end = time.monotonic() + timeout
        for thread, _url in self.threads.values():
            thread.join(max(0.1, end - time.monotonic()))
        self.apply(self.drain())
        self.next_index = 0.0
        self._index({})

    # ---- events -> database --------------------------------------------------------------------
    def drain(self):
        items = []
        while True:
            try:
                items.append(self.events.get_nowait())
            except queue.Empty:
                return items

    def apply(self, events):
        if not events:
            return 0
        cams = Camera.objects.select_related("hall").in_bulk({e[1] for e in events}, field_name="code")
        new, touched, seen, status = [], {}, {}, {}
        for kind, code, *rest in events:
            camera = cams.get(code)
            if camera is None:
                continue
            if kind == "open":
                rel, start = rest
                seg = Segment(camera=camera, start=start, path=rel)
                self.open[rel] = seg
                new.append(seg)
            elif kind in ("part", "seal"):
                self._update(kind, rest, touched)
            elif kind == "seen":
                seen[camera.pk] = rest[0]
            elif kind == "online":
                status[code] = (camera, CameraStatus.ONLINE, rest[0], "")
                seen[camera.pk] = rest[0]
            elif kind == "offline":
                status[code] = (camera, CameraStatus.OFFLINE, rest[0], rest[1])
        Segment.objects.bulk_create(new)
        self._index(touched)
        by_pk = {c.pk: c for c in cams.values()}
        for pk, at in seen.items():
            by_pk[pk].last_seen_at = at
        Camera.objects.bulk_update([by_pk[pk] for pk in seen], ["last_seen_at"])
        changed = do_mark_cameras(list(status.values()))
        if changed:
            self.say(", ".join(f"{code} {s[1]}" for code, s in status.items()))
        return len(events)

    def _index(self, touched):
        """Write sealed segments now, the parts of open ones every INDEX_SECONDS (or at `flush`)."""
        self.pending_parts.update(touched)
        due = time.monotonic() >= self.next_index
        batch = [rel for rel, seg in self.pending_parts.items() if due or seg.end is not None]
        Segment.objects.bulk_update([self.pending_parts.pop(rel) for rel in batch], ["start", "end", "parts", "size"])
        if due:
            self.next_index = time.monotonic() + INDEX_SECONDS

    def _update(self, kind, rest, touched):
        if kind == "part":
            rel, start, parts, size = rest
            end = None
        else:
            rel, start, end, parts, size = rest
        seg = self.open.pop(rel, None) if kind == "seal" else self.open.get(rel)
        if seg is None:
            return
        seg.start, seg.end, seg.parts, seg.size = start, end, parts, size
        touched[rel] = seg

    # ---- the loop ------------------------------------------------------------------------------
    def run(self, *, duration=None):
        repaired = repair_open_segments(self.root)
        if repaired:
            self.say(f"closed {repaired} segments left open by a previous run")
        started = time.monotonic()
        next_reload = next_retention = 0.0
        while not self.stopping:
            now = time.monotonic()
            close_old_connections()
            if now >= next_reload:
                count = self.sync_threads()
                next_reload = now + self.reload_seconds
                if now == started or not self.threads:
                    self.say(f"recording {count} cameras into {self.root}")
            self.apply(self.drain())
            if now >= next_retention:
                expired = do_expire_segments(timezone.now())
                if expired:
                    self.say(f"retention: {expired} segments deleted")
                next_retention = now + self.retention_seconds
            if duration is not None and now - started >= duration:
                break
            time.sleep(1.0)
        self.stop()
        self.join()

