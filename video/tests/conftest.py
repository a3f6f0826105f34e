"""Video test fixtures: a real simulated RTSP camera (video/simcam.py under Debian's Python), a hall
with a window, a camera pointing at the simulated stream, and private recording directories."""
import socket
import subprocess
import time
from pathlib import Path

import pytest

from core.testing.browser import browser_fixtures
from core.testing.smtp import free_port  # noqa: F401  (video tests import it from here)
from video.models import Camera

browser, new_page = browser_fixtures()

SIMCAM = Path(__file__).resolve().parents[1] / "simcam.py"
SYSTEM_PYTHON = "/usr/bin/python3"




class SimCam:
    """A simulated camera server that a test can stop and start again on the same port."""

    def __init__(self, port, codes):
        self.port, self.codes, self.proc = port, codes, None

    def url(self, code):
        return f"rtsp://127.0.0.1:{self.port}/{code}"

    def start(self):
        self.proc = subprocess.Popen([SYSTEM_PYTHON, str(SIMCAM), "--port", str(self.port), "--width", "320",
                                      "--height", "180", *self.codes], stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.1)
        raise RuntimeError("simcam did not start")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


@pytest.fixture
def simcam():
    try:
        import gi  # noqa: F401  (only to know whether Debian's GStreamer bindings exist)
    except ImportError:
        pass
    if not Path(SYSTEM_PYTHON).exists():
        pytest.skip("Debian's python3 with GStreamer is needed (bin/setup installs it)")
    cam = SimCam(free_port(), ["camT"])  # stopped even when (re)starting it fails
    try:
        yield cam.start()
    finally:
        cam.stop()


@pytest.fixture
def video_dirs(settings, tmp_path):
    settings.VIDEO_ROOT = tmp_path / "video"
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    settings.VIDEO_SEGMENT_SECONDS = 2
    settings.VIDEO_OFFLINE_SECONDS = 2
    return tmp_path


@pytest.fixture
def camera(org, simcam):
    cam = Camera.objects.create(code="camT", name="锡林浩特市政务服务中心大厅全景", hall=org["hall"],
                                stream_url=simcam.url("camT"))
    cam.windows.add(org["window"])
    return cam
