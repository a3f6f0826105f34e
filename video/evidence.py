"""Evidence clips: the recording around an instant, cut without re-encoding into one MP4, sealed with
SHA-256, stored apart from the recordings (EVIDENCE_ROOT) and never expired. Every view, download and
verification is a row (EvidenceAccess).

The clip starts at the key frame at or before `instant - before` (a clip can only start on a key
frame without re-encoding) and ends with the first packet after `instant + after`; its real start and
end are stored and written into the file's metadata (creation_time, and exactly in the comment
"ClearWindow evidence camera=<code> start=<ISO instant>")."""
import hashlib
import os
import uuid
from datetime import timedelta
from fractions import Fraction

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import record

from .conf import evidence_root, video_root
from .models import ClipAccess, EvidenceAccess, EvidenceClip, Segment

DEFAULT_SECONDS = 60
MAX_SECONDS = 30 * 60
OUT_TB = Fraction(1, 90000)


class EvidenceError(ValueError):
    pass


def segments_around(camera, start, end):
    return list(Segment.objects.filter(camera=camera, start__lt=end)
                .filter(Q(end__gt=start) | Q(end__isnull=True)).order_by("start"))


def _packets(root, segments):
    """(wall-clock instant, packet) of every video packet of the segments, in order."""
    import av  # here, not at the top: the web workers load PyAV only when a clip is cut

    for seg in segments:
        try:
            container = av.open(str(root / seg.path))
        except (OSError, av.FFmpegError):
            continue
        with container:
            stream = container.streams.video[0]
            first = None
            try:
                for packet in container.demux(stream):
                    pts = packet.pts if packet.pts is not None else packet.dts
                    if pts is None:
                        continue
                    first = pts if first is None else first
                    yield seg.start + timedelta(seconds=float((pts - first) * stream.time_base)), packet, stream
            except av.FFmpegError:  # the open segment may end in a half-written packet
                continue


def cut(camera, start, end, dest):
    """Copy the packets covering [start, end] into an MP4 at `dest`; returns (real start, real end)."""
    gop, out, ostream, clip_start, last = [], None, None, None, None
    for wall, packet, stream in _packets(video_root(), segments_around(camera, start - timedelta(seconds=30), end)):
        if out is None:
            if wall < start:
                gop = [(wall, packet)] if packet.is_keyframe else (gop + [(wall, packet)] if gop else [])
                continue
            if not gop and not packet.is_keyframe:
                continue
            gop = gop + [(wall, packet)]
            clip_start = gop[0][0]
            out, ostream = _open_mp4(dest, stream, camera, clip_start)
            for w, p in gop:
                last = _write(out, ostream, p, w, clip_start, last)
            continue
        if wall > end:
            break
        last = _write(out, ostream, packet, wall, clip_start, last)
    if out is None:
        raise EvidenceError(_("该时段没有录像"))
    out.close()
    return clip_start, clip_start + timedelta(seconds=float(last[1] * OUT_TB))


def _open_mp4(dest, stream, camera, clip_start):
    import av

    os.makedirs(os.path.dirname(dest), exist_ok=True)
    out = av.open(dest, "w", format="mp4", options={"movflags": "faststart"})
    out.metadata["creation_time"] = clip_start.isoformat()  # whole seconds in MP4; the comment is exact
    out.metadata["comment"] = f"ClearWindow evidence camera={camera.code} start={clip_start.isoformat()}"
    ostream = out.add_stream_from_template(stream)
    ostream.time_base = OUT_TB
    return out, ostream


def _write(out, ostream, packet, wall, clip_start, last):
    """Mux one packet with its time counted from the clip's start (monotonic across segments)."""
    ts = round((wall - clip_start).total_seconds() / OUT_TB)
    if last is not None and ts <= last[0]:
        ts = last[0] + 1
    duration = round(float((packet.duration or 0) * packet.time_base) / OUT_TB) if packet.duration else 0
    packet.stream = ostream
    packet.time_base = OUT_TB
    packet.pts = packet.dts = ts
    packet.duration = duration
    out.mux(packet)
    return ts, ts + duration


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def do_seal_clip(camera, instant, *, actor, before=DEFAULT_SECONDS, after=DEFAULT_SECONDS, reason="", now=None):
    """Cut, hash and store the clip around `instant`; returns the EvidenceClip."""
    if not (0 <= before <= MAX_SECONDS and 0 <= after <= MAX_SECONDS):
        raise EvidenceError(_("片段前后时长须在 0 至 %(max)d 秒之间") % {"max": MAX_SECONDS})
    now = now or timezone.now()
    clip_id = uuid.uuid4()
    rel = f"{camera.code}/{timezone.localtime(instant):%Y%m}/{clip_id}.mp4"
    dest = evidence_root() / rel
    start, end = cut(camera, instant - timedelta(seconds=before), instant + timedelta(seconds=after), str(dest))
    os.chmod(dest, 0o444)
    user = actor if getattr(actor, "pk", None) else None
    with transaction.atomic():
        clip = EvidenceClip.objects.create(
            id=clip_id, camera=camera, instant=instant, start=start, end=end, path=rel, size=os.path.getsize(dest),
            sha256=sha256_of(dest), sealed_at=now, sealed_by=user,
            sealed_by_name=user.get_username() if user else str(actor), reason=reason[:300])
        record(actor, "video.clip_sealed", "evidence_clip", clip.pk,
               after={"camera": camera.code, "instant": instant.isoformat(), "start": start.isoformat(),
                      "end": end.isoformat(), "sha256": clip.sha256}, reason=reason)
    return clip


def log_access(clip, user, action, address=None):
    return EvidenceAccess.objects.create(
        clip=clip, user=user if getattr(user, "pk", None) else None,
        actor_name=user.get_username() if getattr(user, "pk", None) else str(user), action=action, address=address)


def do_verify_clips(clips, *, actor="verify_evidence", now=None):
    """Recompute every clip's hash; store the result and log it. Returns [(clip, ok)]."""
    now = now or timezone.now()
    results = []
    for clip in clips:
        path = evidence_root() / clip.path
        ok = path.exists() and sha256_of(path) == clip.sha256
        clip.verified_at, clip.verified_ok = now, ok
        results.append((clip, ok))
    with transaction.atomic():
        EvidenceClip.objects.bulk_update([c for c, _ in results], ["verified_at", "verified_ok"])
        EvidenceAccess.objects.bulk_create([EvidenceAccess(clip=c, actor_name=actor, action=ClipAccess.VERIFY)
                                            for c, _ in results])
        record(actor, "video.clips_verified", "evidence_clip", len(results),
               after={"ok": sum(ok for _, ok in results), "bad": [str(c.pk) for c, ok in results if not ok]})
    return results
