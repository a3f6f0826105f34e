"""Retention of recordings: per camera (retention_days, default 30) and a disk quota for all of them,
oldest first. Only sealed segments of the recording index are ever deleted; evidence clips live in
another directory and another table, so nothing here can touch them."""
import os
from datetime import timedelta

from django.db import transaction
from django.db.models import Sum

from core.audit import record
from core.claims import claim

from .conf import disk_quota_bytes, video_root
from .models import Camera, Segment

QUOTA_BATCH = 500


def expired_by_age(now):
    """Ids of sealed segments older than their camera's retention (one query per distinct setting)."""
    ids = []
    for days in set(Camera.objects.values_list("retention_days", flat=True)):
        ids += Segment.objects.filter(camera__retention_days=days, end__isnull=False,
                                      end__lt=now - timedelta(days=days)).values_list("pk", flat=True)
    return ids


def over_quota(quota, exclude=()):
    """Ids of the oldest sealed segments to delete so that the recordings fit in `quota` bytes."""
    total = (Segment.objects.exclude(pk__in=exclude).aggregate(s=Sum("size"))["s"] or 0)
    excess, ids = total - quota, []
    if excess <= 0:
        return ids
    oldest = Segment.objects.exclude(pk__in=exclude).filter(end__isnull=False).order_by("start")
    for pk, size in oldest.values_list("pk", "size").iterator(chunk_size=QUOTA_BATCH):
        ids.append(pk)
        excess -= size
        if excess <= 0:
            break
    return ids


def do_expire_segments(now, *, quota=None, actor="video.retention"):
    """Delete expired and over-quota segments (files, then rows); returns how many."""
    quota = disk_quota_bytes() if quota is None else quota
    by_age = expired_by_age(now)
    by_quota = over_quota(quota, exclude=by_age)
    ids = by_age + by_quota
    if not ids:
        return 0
    root = video_root()
    chunks = [ids[i:i + QUOTA_BATCH] for i in range(0, len(ids), QUOTA_BATCH)]
    with transaction.atomic():
        # claimed (core.claims): segments another worker is deleting right now are left to it, and
        # those it deleted meanwhile are gone; only what this worker deletes is counted and recorded
        paths, deleted = [], 0
        for chunk in chunks:
            claimed = list(claim(Segment.objects.filter(pk__in=chunk)).values_list("pk", "path"))
            Segment.objects.filter(pk__in=[pk for pk, _path in claimed]).delete()
            deleted += len(claimed)
            paths += [path for _pk, path in claimed]
        if not deleted:
            return 0
        record(actor, "video.segments_expired", "segment", deleted,
               after={"by_age": len(by_age), "by_quota": len(by_quota), "quota": quota})
    for rel in paths:
        try:
            os.remove(root / rel)
        except FileNotFoundError:
            pass
    return deleted
