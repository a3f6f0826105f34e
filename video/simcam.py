#!/usr/bin/python3
"""Simulated cameras: one RTSP server on 127.0.0.1 with many mount points, all fed by ONE encoder.

Run it with Debian's Python (GStreamer's RTSP server comes from Debian packages, not from pip):

    /usr/bin/python3 video/simcam.py --port 8554 CAM1 CAM2 …     # rtsp://127.0.0.1:8554/CAM1 …
    /usr/bin/python3 video/simcam.py --port 8554 --from-db        # every camera code in the database

The picture is a test pattern with the wall-clock time burned in (Asia/Shanghai by default, TZ=…), so
that live pictures, recordings and evidence clips can be checked by eye. Encoding 33 streams would
cost most of a core; here one small H.264 encoder (x264, zero latency, a key frame every second) feeds
an appsink, and each mount point's media is an appsrc that receives copies of the same encoded
buffers: each extra camera costs only RTP packetising. A client that joins mid-GOP is fed from the
next key frame. SIGTERM/SIGINT stop it cleanly.
"""
import argparse
import os
import signal
import sys
import threading
import time

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

ENCODER = (
    "videotestsrc is-live=true pattern={pattern} ! video/x-raw,width={width},height={height},framerate={fps}/1 "
    "! clockoverlay time-format=\"%Y-%m-%d %H:%M:%S\" halignment=left valignment=top "
    "font-desc=\"Sans Bold {font}\" shaded-background=true "
    "! textoverlay text=\"{label}\" halignment=right valignment=bottom font-desc=\"Sans {small}\" "
    "shaded-background=true "
    "! videoconvert ! x264enc tune=zerolatency speed-preset=ultrafast bitrate={kbps} key-int-max={fps} "
    "! video/x-h264,profile=constrained-baseline ! h264parse config-interval=-1 "
    "! video/x-h264,stream-format=byte-stream,alignment=au "
    "! appsink name=out emit-signals=true sync=false max-buffers=4 drop=true"
)
MOUNT = ("( appsrc name=src is-live=true format=time do-timestamp=true "
         "! h264parse ! rtph264pay name=pay0 pt=96 config-interval=1 )")


class Fanout:
    """Copies each encoded buffer to every connected mount's appsrc (from the first key frame on)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.sinks = {}  # appsrc -> started (bool)
        self.caps = None

    def add(self, appsrc):
        with self.lock:
            self.sinks[appsrc] = False

    def remove(self, appsrc):
        with self.lock:
            self.sinks.pop(appsrc, None)

    def on_sample(self, appsink):
        sample = appsink.emit("pull-sample")
        if sample is None:
            return Gst.FlowReturn.OK
        buf = sample.get_buffer()
        self.caps = sample.get_caps()
        key = not buf.has_flags(Gst.BufferFlags.DELTA_UNIT)
        with self.lock:
            targets = list(self.sinks.items())
        for appsrc, started in targets:
            if not started:
                if not key:
                    continue
                appsrc.set_property("caps", self.caps)
                with self.lock:
                    if appsrc in self.sinks:
                        self.sinks[appsrc] = True
            copy = buf.copy()
            copy.pts = copy.dts = Gst.CLOCK_TIME_NONE  # appsrc stamps its own running time
            appsrc.emit("push-buffer", copy)
        return Gst.FlowReturn.OK


class Factory(GstRtspServer.RTSPMediaFactory):
    def __init__(self, fanout):
        super().__init__()
        self.fanout = fanout
        self.set_launch(MOUNT)
        self.set_shared(True)  # several clients of one mount share one media
        self.connect("media-configure", self.on_configure)

    def on_configure(self, _factory, media):
        appsrc = media.get_element().get_by_name_recurse_up("src")
        self.fanout.add(appsrc)
        media.connect("unprepared", lambda *_: self.fanout.remove(appsrc))


def codes_from_db():
    """Camera codes from the project's database (runs the project's venv Python for it)."""
    import subprocess

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run([os.path.join(root, ".venv/bin/python"), os.path.join(root, "manage.py"),
                          "shell", "-c",
                          "from video.models import Camera;print(' '.join(Camera.objects.filter(active=True)"
                          ".values_list('code', flat=True)))"],
                         cwd=root, check=True, capture_output=True, text=True)
    return out.stdout.split()


def parse_args(argv):
    p = argparse.ArgumentParser(description="Simulated RTSP cameras (one encoder, many mount points)")
    p.add_argument("codes", nargs="*", help="mount points, e.g. H152500-01-C01")
    p.add_argument("--from-db", action="store_true", help="serve every active camera code in the database")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8554)
    p.add_argument("--width", type=int, default=640)
    p.add_argument("--height", type=int, default=360)
    p.add_argument("--fps", type=int, default=10)
    p.add_argument("--kbps", type=int, default=400)
    p.add_argument("--pattern", default="smpte")
    p.add_argument("--label", default="ClearWindow 模拟摄像头")
    p.add_argument("--offline", nargs="*", default=[], help="codes NOT to serve (demo: a camera that is down)")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    codes = list(args.codes) + (codes_from_db() if args.from_db else [])
    codes = [c for c in dict.fromkeys(codes) if c not in set(args.offline)]
    if not codes:
        sys.exit("simcam: no mount points (give camera codes or --from-db)")
    os.environ.setdefault("TZ", "Asia/Shanghai")  # the burned-in clock shows local (China) time
    time.tzset()
    Gst.init(None)
    encoder = Gst.parse_launch(ENCODER.format(
        pattern=args.pattern, width=args.width, height=args.height, fps=args.fps, kbps=args.kbps,
        font=max(args.height // 14, 10), small=max(args.height // 28, 8), label=args.label))
    fanout = Fanout()
    encoder.get_by_name("out").connect("new-sample", fanout.on_sample)

    server = GstRtspServer.RTSPServer()
    server.set_address(args.host)
    server.set_service(str(args.port))
    mounts = server.get_mount_points()
    for code in codes:
        mounts.add_factory("/" + code, Factory(fanout))
    if server.attach(None) == 0:
        sys.exit(f"simcam: cannot listen on {args.host}:{args.port}")
    encoder.set_state(Gst.State.PLAYING)

    loop = GLib.MainLoop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, loop.quit)
    print(f"simcam: {len(codes)} cameras on rtsp://{args.host}:{args.port}/<code>", flush=True)
    try:
        loop.run()
    finally:
        encoder.set_state(Gst.State.NULL)


if __name__ == "__main__":
    main()
