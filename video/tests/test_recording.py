"""Recording a real (simulated) RTSP camera, cutting a sealed clip, verifying it, expiring segments."""
import os
from datetime import timedelta

import av
import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from video.conf import evidence_root, video_root
from video.evidence import do_seal_clip, do_verify_clips
from video.models import CameraStatus, EvidenceClip, Segment
from video.recorder import Recorder, repair_open_segments
from video.retention import do_expire_segments

from .helpers import pump


def record(camera, seconds):
    recorder = Recorder(codes=[camera.code])
    pump(recorder, lambda: Segment.objects.filter(camera=camera, end__isnull=False).count() >= seconds / 2,
         timeout=seconds + 10)
    recorder.stop()
    recorder.join()
    return list(Segment.objects.filter(camera=camera).order_by("start"))


def clip_span(clip):
    """What the clip file itself says it covers: its creation_time and its duration."""
    with av.open(str(evidence_root() / clip.path)) as container:
        start = parse_datetime(container.metadata["comment"].split("start=")[1])
        return start, start + timedelta(seconds=container.duration / av.time_base)


@pytest.mark.django_db
def test_it_records_segments_without_gaps_and_cuts_a_clip_that_covers_the_instant(video_dirs, camera, people):
    segments = record(camera, 8)

    assert len(segments) >= 4 and all(s.end for s in segments)
    assert all((video_root() / s.path).stat().st_size == s.size > 0 for s in segments)
    for before, after in zip(segments, segments[1:]):  # continuous: each file starts where the last ended
        assert abs((after.start - before.end).total_seconds()) < 0.3
    camera.refresh_from_db()
    assert camera.status == CameraStatus.ONLINE and camera.last_seen_at
    with av.open(str(video_root() / segments[1].path)) as ts:  # copied H.264, not re-encoded
        assert ts.streams.video[0].codec_context.name == "h264"
        assert ts.streams.video[0].codec_context.width == 320

    instant = segments[1].end + timedelta(seconds=0.5)
    clip = do_seal_clip(camera, instant, before=2, after=2, actor=people["county_supervisor"], reason="测试")

    start, end = clip_span(clip)
    assert start <= instant - timedelta(seconds=2) and end >= instant + timedelta(seconds=2)
    assert abs((start - clip.start).total_seconds()) < 0.01 and abs((end - clip.end).total_seconds()) < 0.2
    assert (end - start).total_seconds() < 2 + 2 + 1.5  # at most one GOP more than asked
    assert [ok for _, ok in do_verify_clips([clip])] == [True]


@pytest.mark.django_db
def test_it_expires_old_segments_but_never_the_sealed_clip(video_dirs, camera, people):
    segments = record(camera, 6)
    clip = do_seal_clip(camera, segments[1].end, before=1, after=1, actor=people["county_supervisor"])
    Segment.objects.update(start=timezone.now() - timedelta(days=31), end=timezone.now() - timedelta(days=31))
    camera.retention_days = 30
    camera.save()

    assert do_expire_segments(timezone.now()) == len(segments)

    assert not Segment.objects.exists()
    assert not any((video_root() / s.path).exists() for s in segments)
    clip.refresh_from_db()
    assert (evidence_root() / clip.path).exists()
    call_command("verify_evidence")  # exits 1 when a clip is altered or missing
    assert EvidenceClip.objects.get().verified_ok is True


@pytest.mark.django_db
def test_it_deletes_the_oldest_segments_first_to_stay_under_the_quota(video_dirs, camera):
    segments = record(camera, 6)
    total = sum(s.size for s in segments)

    do_expire_segments(timezone.now(), quota=total - 1)

    left = list(Segment.objects.order_by("start"))
    assert [s.pk for s in left] == [s.pk for s in segments[1:]]
    assert not (video_root() / segments[0].path).exists()


@pytest.mark.django_db
def test_it_notices_an_altered_clip(video_dirs, camera, people, capsys):
    segments = record(camera, 4)
    clip = do_seal_clip(camera, segments[0].end, before=1, after=1, actor=people["county_supervisor"])
    path = evidence_root() / clip.path
    os.chmod(path, 0o644)
    with open(path, "r+b") as f:
        f.seek(100)
        f.write(b"tampered")

    with pytest.raises(SystemExit):
        call_command("verify_evidence")
    assert EvidenceClip.objects.get().verified_ok is False


@pytest.mark.django_db
def test_it_keeps_what_a_killed_recorder_had_written(video_dirs, camera):
    record(camera, 4)
    last = Segment.objects.order_by("start").last()
    Segment.objects.filter(pk=last.pk).update(end=None)  # as if the recorder died while writing it
    Segment.objects.create(camera=camera, start=timezone.now(), path="camT/x/empty.ts")  # died before a part

    assert repair_open_segments() == 2

    last.refresh_from_db()
    assert last.end is not None and last.end > last.start
    assert not Segment.objects.filter(path="camT/x/empty.ts").exists()
