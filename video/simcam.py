#!/usr/bin/python3
"""Simulated cameras: one RTSP server on 127.0.0.1 with many mount points, all fed by ONE encoder.

Run it with Debian's Python (GStreamer's RTSP server comes from Debian packages, not from pip):

    /usr/bin/python3 video/simcam.py --port 8554 CAM1 CAM2 …     # rtsp://127.0.0.1:8554/CAM1 …
    /usr/bin/python3 video/simcam.py --port 8554 --from-db        # every camera code in the database

The picture is a test pattern with the wall-clock time burned in (Asia/Shanghai by default, TZ=…), so
that live pictures, recordings and evidence clips can be checked by eye. Encoding 33 streams would
cost most of a core; here every mount point shares ONE media (one pipeline: test pattern, clock,
x264 zero latency, a key frame every second, RTP payloader), and the RTSP server fans its packets out
to every client of every mount: each extra camera costs only sending packets. SIGTERM/SIGINT stop it.
"""
import argparse
import os
import signal
import sys
import time

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

PIPELINE = (
    "( videotestsrc is-live=true pattern={pattern} ! video/x-raw,width={width},height={height},framerate={fps}/1 "
    "! clockoverlay time-format=\"%Y-%m-%d %H:%M:%S\" halignment=left valignment=top "
    "font-desc=\"Sans Bold {font}\" shaded-background=true "
    "! textoverlay text=\"{label}\" halignment=right valignment=bottom font-desc=\"Sans {small}\" "
    "shaded-background=true "
    "! videoconvert ! x264enc tune=zerolatency speed-preset=ultrafast bitrate={kbps} key-int-max={fps} "
    "! video/x-h264,profile=constrained-baseline ! rtph264pay name=pay0 pt=96 config-interval=1 )"
)


class SharedFactory(GstRtspServer.RTSPMediaFactory):
    """One media for every mount point: the key of the shared media is the same whatever the URL, so all
    cameras' clients are fed by one pipeline (one encoder); a client joining mid-GOP starts decoding at
    the next key frame (one a second)."""

    def do_gen_key(self, url):
        return "clearwindow-simcam"


def codes_from_db():
    """Camera codes from the project's database (runs the project's venv Python for it)."""
    import subprocess

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run([os.path.join(root, ".venv/bin/python"), os.path.join(root, "manage.py"),
                          "shell", "-v", "0", "-c",
                          "from video.models import Camera;print(' '.join(Camera.objects.filter(active=True)"
                          ".values_list('code', flat=True)))"],
                         cwd=root, check=True, capture_output=True, text=True)
    return out.stdout.split()


AUTH = GstRtspServer.RTSPAuth()


def require_password(factory, user, password):
    """Basic authentication: only `user`/`password` may open the streams (others get 401)."""
    token = GstRtspServer.RTSPToken()
    token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "camera-user")
    AUTH.add_basic(GstRtspServer.RTSPAuth.make_basic(user, password), token)
    factory.add_role_from_structure(Gst.Structure.from_string(
        "camera-user, media.factory.access=(boolean)true, media.factory.construct=(boolean)true")[0])


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
    p.add_argument("--user", default="", help="require RTSP basic authentication with this user …")
    p.add_argument("--password", default="", help="… and this password (as real cameras do)")
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
    factory = SharedFactory()
    factory.set_launch(PIPELINE.format(
        pattern=args.pattern, width=args.width, height=args.height, fps=args.fps, kbps=args.kbps,
        font=max(args.height // 14, 10), small=max(args.height // 28, 8), label=args.label))
    factory.set_shared(True)
    factory.set_suspend_mode(GstRtspServer.RTSPSuspendMode.NONE)
    if args.user:
        require_password(factory, args.user, args.password)

    server = GstRtspServer.RTSPServer()
    if args.user:
        server.set_auth(AUTH)
    server.set_address(args.host)
    server.set_service(str(args.port))
    mounts = server.get_mount_points()
    for code in codes:
        mounts.add_factory("/" + code, factory)
    if server.attach(None) == 0:
        sys.exit(f"simcam: cannot listen on {args.host}:{args.port}")

    loop = GLib.MainLoop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, loop.quit)
    print(f"simcam: {len(codes)} cameras on rtsp://{args.host}:{args.port}/<code>", flush=True)
    loop.run()


if __name__ == "__main__":
    main()
