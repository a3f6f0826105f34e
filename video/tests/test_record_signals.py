"""`manage.py record` stops on SIGTERM/SIGINT however many arrive: the handler takes no lock."""
import signal
import threading

import pytest

from django.utils import timezone

from video.capture import CameraThread
from video.management.commands.record import stop_on_signals
from video.recorder import Recorder


@pytest.fixture
def restore_handlers():
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def test_a_second_signal_while_the_first_is_stopping_the_cameras_does_not_block(restore_handlers, tmp_path):
    recorder = Recorder(codes=["camS"])
    camera = CameraThread("camS", "rtsp://127.0.0.1:1/none", str(tmp_path), recorder.events,
                          segment_seconds=6, offline_after=10, tz=timezone.get_current_timezone())
    recorder.threads["camS"] = (camera, "rtsp://127.0.0.1:1/none")
    stop_on_signals(recorder)
    handler = signal.getsignal(signal.SIGTERM)
    with camera.stop_event._cond:  # the main thread is inside camera.stop() (Event.set) when a signal lands
        done = threading.Event()
        caller = threading.Thread(target=lambda: (handler(signal.SIGTERM, None), done.set()), daemon=True)
        caller.start()
        assert done.wait(2), "the signal handler blocked on the camera's stop lock"
    assert recorder.stopping and not camera.stop_event.is_set()  # the run loop stops the cameras itself
    recorder.stop()
    assert camera.stop_event.is_set()
