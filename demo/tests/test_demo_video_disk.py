"""The demo keeps under 2 GB of video on disk (issue 16, point 15): bin/demo gives the recorder a demo
quota and the simulated cameras a lower bitrate; the recorder's retention enforces the quota."""
import re
from pathlib import Path

from video.conf import segment_seconds

BIN_DEMO = Path(__file__).resolve().parents[2] / "bin" / "demo"
CAMERAS = 33
LIMIT = 2 * 1024 ** 3


def test_it_bounds_the_demo_recordings_under_two_gigabytes(settings):
    script = BIN_DEMO.read_text()
    quota_gb = float(re.search(r"VIDEO_DISK_QUOTA_GB=\$\{VIDEO_DISK_QUOTA_GB:-([\d.]+)\}", script).group(1))
    kbps = int(re.search(r"DEMO_CAMERA_KBPS=(\d+)", script).group(1))
    assert '--kbps "$DEMO_CAMERA_KBPS"' in script
    # worst case on disk: the quota, plus every camera's open segment, plus what arrives in the minute
    # between two retention runs of the recorder
    in_flight = CAMERAS * kbps * 1000 / 8 * (segment_seconds() + 60)
    assert quota_gb * 1024 ** 3 + in_flight < LIMIT
