"""Record every active camera continuously (one process, one thread per camera, packets copied).

    manage.py record                 # all active cameras, until SIGTERM / Ctrl-C
    manage.py record --camera CODE   # only some (repeatable)
    manage.py record --duration 30   # stop after 30 s (tests, benchmarks)
"""
import signal

from django.core.management.base import BaseCommand

from video.recorder import Recorder


class Command(BaseCommand):
    help = "Record every active camera in segments, without re-encoding; health checks and retention."

    def add_arguments(self, parser):
        parser.add_argument("--camera", action="append", dest="codes", help="camera code (repeatable)")
        parser.add_argument("--duration", type=float, default=None, help="stop after this many seconds")

    def handle(self, *args, codes=None, duration=None, **options):
        recorder = Recorder(codes=codes, stdout=self.stdout)
        signal.signal(signal.SIGTERM, lambda *_: recorder.stop())
        signal.signal(signal.SIGINT, lambda *_: recorder.stop())
        recorder.run(duration=duration)
        self.stdout.write("record: stopped")
