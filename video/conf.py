"""Video settings, each from Django settings if set there, else the environment, else a default.

VIDEO_ROOT              recordings (default var/video)
EVIDENCE_ROOT           sealed evidence clips, apart from the recordings (default var/evidence)
VIDEO_SEGMENT_SECONDS   length of one recorded file (default 60)
VIDEO_DISK_QUOTA_GB     recordings may use at most this much; the oldest go first (default 50)
VIDEO_OFFLINE_SECONDS   no picture for this long -> the camera is offline (default 10)
"""
import os
from pathlib import Path

from django.conf import settings


def _get(name, default):
    value = getattr(settings, name, None)
    return value if value is not None else os.environ.get(name, default)


def video_root():
    return Path(_get("VIDEO_ROOT", settings.VAR_DIR / "video"))


def evidence_root():
    return Path(_get("EVIDENCE_ROOT", settings.VAR_DIR / "evidence"))


def segment_seconds():
    return float(_get("VIDEO_SEGMENT_SECONDS", 60))


def disk_quota_bytes():
    return int(float(_get("VIDEO_DISK_QUOTA_GB", 50)) * 1024 ** 3)


def offline_seconds():
    return float(_get("VIDEO_OFFLINE_SECONDS", 10))
