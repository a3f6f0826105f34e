"""Recording one camera: RTSP in, MPEG-TS segments out, packets copied (never decoded). No Django here:
a CameraThread reports what it did as events on a queue; the recorder's main loop writes them to the
database (video/recorder.py).

Files: <root>/<code>/<YYYYMMDD>/<HHMMSS-mmm>.ts, a new one every `segment_seconds` at the next key
frame. Each segment is cut into parts at key frames (about one GOP each): [byte offset, byte length,
seconds]. The muxer flushes after every packet, so the bytes of a finished part are on disk at once; a
crash loses nothing but the packets in flight (MPEG-TS needs no trailer). After every part the thread
rewrites <root>/<code>/live.m3u8, the live HLS playlist of the last few parts (byte ranges, relative
URIs), which the web serves to the wall.
"""
import collections
import os
import threading
import time
from datetime import datetime, timezone

LIVE_PARTS = 6
# Open fast (the SDP names the codec; no need to buffer seconds of video to probe it); TCP, 5 s timeout.
RTSP_OPTIONS = {"rtsp_transport": "tcp", "timeout": "5000000", "analyzeduration": "0", "probesize": "4096"}
READ_TIMEOUT = 5.0
OPEN_TIMEOUT = 8.0


def local_stamp(ts, tz):
    return datetime.fromtimestamp(ts, tz)


class SegmentWriter:
    """One open segment file; `mux` copies packets, `parts` grows at each key frame."""

    def __init__(self, root, code, rel, in_stream):
        self.rel = rel
        self.full = os.path.join(root, rel)
        os.makedirs(os.path.dirname(self.full), exist_ok=True)
        self.file = open(self.full, "wb", buffering=0)
        import av  # here, not at the top: the web processes import this module's names but never record

        self.out = av.open(self.file, "w", format="mpegts", options={"flush_packets": "1"})
        self.stream = self.out.add_stream_from_template(in_stream)
        self.first_pts = None
        self.part_start = (0, None)  # (byte offset, pts) of the part being written
        self.parts = []
        self.last_end_pts = None
        self.tb = in_stream.time_base
        self.tb_f = float(in_stream.time_base)

    def mux(self, packet):
        """Write one packet; returns a finished part [offset, length, seconds] when this key frame ends one."""
        finished = None
        pts = packet.pts if packet.pts is not None else packet.dts
        if self.first_pts is None:
            self.first_pts = pts
            self.part_start = (0, pts)
        elif packet.is_keyframe and pts > self.part_start[1]:
            finished = self._close_part(self.file.tell(), pts)
        packet.stream = self.stream
        self.out.mux(packet)
        self.last_end_pts = pts + (packet.duration or 0)
        return finished

    def _close_part(self, offset, pts):
        start_offset, start_pts = self.part_start
        part = [start_offset, offset - start_offset, round(float((pts - start_pts) * self.tb), 3)]
        self.parts.append(part)
        self.part_start = (offset, pts)
        return part

    def seconds_since_start(self, pts):
        return (pts - self.first_pts) * self.tb_f if self.first_pts is not None else 0.0

    def close(self):
        """Seal: close the last part and the file; returns (parts, size, duration seconds)."""
        try:
            self.out.close()
        except Exception:  # a broken stream must not keep the file open; what is on disk stays
            pass
        size = self.file.tell()
        self.file.close()
        if self.last_end_pts is not None and size > self.part_start[0]:
            self._close_part(size, max(self.last_end_pts, self.part_start[1]))
        return self.parts, size, sum(p[2] for p in self.parts)


class LivePlaylist:
    """The last few parts as a live HLS playlist (byte ranges into the segment files)."""

    def __init__(self, root, code):
        self.path = os.path.join(root, code, "live.m3u8")
        self.entries = collections.deque(maxlen=LIVE_PARTS)
        self.sequence = 0
        self.discontinuities = 0
        self.pending_break = False

    def add(self, rel_in_camera, part, wall):
        self.entries.append((rel_in_camera, part, self.pending_break, wall))
        self.pending_break = False
        if len(self.entries) == self.entries.maxlen:
            self.sequence += 1
            if self.entries[0][2]:
                self.discontinuities += 1
        self.write()

    def reconnected(self):
        self.pending_break = bool(self.entries)

    def write(self):
        target = max([int(p[2]) + 1 for _, p, _, _ in self.entries] + [2])
        lines = ["#EXTM3U", "#EXT-X-VERSION:4", f"#EXT-X-TARGETDURATION:{target}",
                 f"#EXT-X-MEDIA-SEQUENCE:{self.sequence}", f"#EXT-X-DISCONTINUITY-SEQUENCE:{self.discontinuities}"]
        for rel, (offset, length, seconds), brk, wall in self.entries:
            if brk:
                lines.append("#EXT-X-DISCONTINUITY")
            lines += [f"#EXT-X-PROGRAM-DATE-TIME:{wall.isoformat(timespec='milliseconds')}",
                      f"#EXTINF:{seconds:.3f},", f"#EXT-X-BYTERANGE:{length}@{offset}", rel]
        tmp = self.path + ".tmp"
        with open(tmp, "w") as f:
            f.write("\n".join(lines) + "\n")
        os.replace(tmp, self.path)

    def clear(self):
        try:
            os.remove(self.path)
        except FileNotFoundError:
            pass


class CameraThread(threading.Thread):
    """Records one camera until stopped; reconnects (with back-off) whenever the stream fails.

    Events put on `events`: ("open", code, rel, start), ("part", code, rel, start, parts, size),
    ("seal", code, rel, start, end, parts, size), ("online", code, at), ("offline", code, at, reason),
    ("seen", code, at).
    """

    def __init__(self, code, url, root, events, *, segment_seconds=60, offline_after=10.0, tz=timezone.utc):
        super().__init__(name=f"rec-{code}", daemon=True)
        self.code, self.url, self.root, self.events = code, url, root, events
        self.segment_seconds, self.offline_after, self.tz = segment_seconds, offline_after, tz
        self.stop_event = threading.Event()
        self.live = LivePlaylist(root, code)
        self.online = None
        self.last_packet = None
        self.last_seen_report = 0.0

    def stop(self):
        self.stop_event.set()

    def run(self):
        backoff = 1.0
        down_since = time.time()
        while not self.stop_event.is_set():
            reason = ""
            try:
                got = self._record_once()
                if got:
                    backoff, down_since = 1.0, time.time()
                reason = "stream ended"
            except Exception as err:  # any failure of the stream: report, wait, reconnect
                reason = f"{type(err).__name__}: {err}"[:200]
            if self.stop_event.is_set():
                break
            if self.last_packet:
                down_since = max(down_since, self.last_packet)
            if self.online is not False and time.time() - down_since >= self.offline_after:
                self.online = False
                self.events.put(("offline", self.code, _utc(down_since), reason))
            self.stop_event.wait(backoff)
            backoff = min(backoff * 2, 15.0)
            if self.online is not False and time.time() - down_since >= self.offline_after:
                self.online = False
                self.events.put(("offline", self.code, _utc(down_since), reason))

    def _record_once(self):
        """Connect and record until the stream fails or we are stopped. Returns True if packets came."""
        import av

        container = av.open(self.url, options=RTSP_OPTIONS, timeout=(OPEN_TIMEOUT, READ_TIMEOUT))
        writer, got = None, False
        self.anchor = None  # wall-clock epoch seconds of media time 0 (earliest arrival minus media time)
        self.tb_f = None
        self.live.reconnected()
        try:
            stream = container.streams.video[0]
            for packet in container.demux(stream):
                if self.stop_event.is_set():
                    break
                if packet.dts is None and packet.pts is None:
                    continue
                now = time.time()
                if not got:
                    got = True
                    self._came_online(now)
                self.last_packet = now
                self._anchor(packet, now)
                writer = self._write(writer, stream, packet, now)
                if now - self.last_seen_report >= 5:
                    self.last_seen_report = now
                    self.events.put(("seen", self.code, _utc(now)))
        finally:
            if writer is not None:
                self._seal(writer)
            container.close()
        return got

    def _anchor(self, packet, now):
        pts = packet.pts if packet.pts is not None else packet.dts
        if pts is not None:
            if self.tb_f is None:
                self.tb_f = float(packet.time_base)
            candidate = now - pts * self.tb_f
            self.anchor = candidate if self.anchor is None else min(self.anchor, candidate)

    def _start_of(self, writer):
        return self.anchor + writer.first_pts * writer.tb_f

    def _came_online(self, now):
        if self.online is not True:
            self.online = True
            self.events.put(("online", self.code, _utc(now)))

    def _write(self, writer, stream, packet, now):
        pts = packet.pts if packet.pts is not None else packet.dts
        if writer is None:
            if not packet.is_keyframe:
                return None  # a segment starts at a key frame
            return self._open(stream, packet, now)
        if packet.is_keyframe and writer.seconds_since_start(pts) >= self.segment_seconds:
            self._seal(writer)
            return self._open(stream, packet, now)
        part = writer.mux(packet)
        if part is not None:
            self._part(writer, part)
        return writer

    def _open(self, stream, packet, now):
        stamp = local_stamp(now, self.tz)
        rel = f"{self.code}/{stamp:%Y%m%d}/{stamp:%H%M%S}-{stamp.microsecond // 1000:03d}.ts"
        writer = SegmentWriter(self.root, self.code, rel, stream)
        writer.mux(packet)
        self.events.put(("open", self.code, rel, _utc(self._start_of(writer))))
        return writer

    def _part(self, writer, part):
        offset_seconds = sum(p[2] for p in writer.parts[:-1])
        start = self._start_of(writer)
        self.live.add(writer.rel.split("/", 1)[1], part, local_stamp(start + offset_seconds, self.tz))
        self.events.put(("part", self.code, writer.rel, _utc(start), list(writer.parts), writer.file.tell()))

    def _seal(self, writer):
        parts, size, seconds = writer.close()
        if writer.first_pts is None:
            return
        start = self._start_of(writer)
        if parts and parts[-1] not in self.live_parts():
            self.live.add(writer.rel.split("/", 1)[1], parts[-1], local_stamp(start + seconds - parts[-1][2], self.tz))
        self.events.put(("seal", self.code, writer.rel, _utc(start), _utc(start + seconds), parts, size))

    def live_parts(self):
        return [p for _, p, _, _ in self.live.entries]


def _utc(ts):
    return datetime.fromtimestamp(ts, timezone.utc)
