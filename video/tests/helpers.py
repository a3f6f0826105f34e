import time

from video.models import Camera


def pump(recorder, until, timeout=20.0):
    """Run the recorder's main-loop work (apply what the threads report) until `until()` holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        recorder.sync_threads()
        recorder.apply(recorder.drain())
        if until():
            return True
        time.sleep(0.3)
    return False


def status_of(code):
    return Camera.objects.get(code=code).status
