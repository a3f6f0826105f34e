"""Record every active camera continuously (one process, one thread per camera, packets copied).

    manage.py record                 # all active cameras, until SIGTERM / Ctrl-C
    manage.py record --camera CODE   # only some (repeatable)
    manage.py record --duration 30   # stop after 30 s (tests, benchmarks)
"""
import signal

from django.core.management.base import BaseCommand

from video.recorder import Recorder


def stop_on_signals(recorder):
    """SIGTERM and SIGINT only mark the recorder as stopping; its loop sees that within a second
    and stops the camera threads itself. A handler must take no lock: stopping the threads from
    the handler (Event.set) deadlocked when a second signal came while the main thread was in
    Event.set already (bin/demo's Ctrl-C sends two: the terminal's and the script's cleanup)."""
    def on_signal(*_):
        recorder.stopping = True
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, on_signal)


class Command(BaseCommand):
    help = "Record every active camera in segments, without re-encoding; health checks and retention."

    def add_arguments(self, parser):
        parser.add_argument("--camera", action="append", dest="codes", help="camera code (repeatable)")
        parser.add_argument("--duration", type=float, default=None, help="stop after this many seconds")

    def handle(self, *args, codes=None, duration=None, **options):
        recorder = Recorder(codes=codes, stdout=self.stdout)
        stop_on_signals(recorder)
        recorder.run(duration=duration)
        self.stdout.write("record: stopped")
