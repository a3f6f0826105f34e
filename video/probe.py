"""The connection test of a camera (连接测试): open its RTSP address with a short timeout, read packets
for a few seconds (never decoding) and report the codec and resolution (from the stream's parameters)
and the key-frame interval (from the key-frame flags of the packets), or why it failed. No Django here.
"""
import time
from dataclasses import dataclass

from .capture import RTSP_OPTIONS

OPEN_TIMEOUT = 5.0     # seconds to connect and read the stream description
READ_SECONDS = 4.0     # at most this long reading packets to see two key frames

# Why a test failed: a code for the program, the sentence is chosen by the page (in the user's language).
TIMEOUT, REFUSED, AUTH, NOT_FOUND, NOT_VIDEO, NO_KEYFRAME, BAD_ADDRESS = (
    "timeout", "refused", "auth", "not_found", "not_video", "no_keyframe", "bad_address")


@dataclass
class ProbeResult:
    ok: bool
    failure: str = ""          # one of the codes above when not ok
    codec: str = ""
    width: int = 0
    height: int = 0
    fps: float | None = None
    keyframe_interval: float | None = None  # seconds between the first two key frames seen
    detail: str = ""           # FFmpeg's own words, for the log only (may name the address: never shown)


def probe(url, *, open_timeout=OPEN_TIMEOUT, read_seconds=READ_SECONDS):
    if not url.lower().startswith(("rtsp://", "rtsps://")):
        return ProbeResult(False, BAD_ADDRESS)
    import av  # here, not at the top: a web worker loads PyAV only when a connection test runs

    options = dict(RTSP_OPTIONS, timeout=str(int(open_timeout * 1_000_000)))
    started = time.monotonic()
    try:
        container = av.open(url, options=options, timeout=(open_timeout, open_timeout))
    except av.error.HTTPUnauthorizedError as err:
        return ProbeResult(False, AUTH, detail=str(err))
    except av.error.HTTPForbiddenError as err:
        return ProbeResult(False, AUTH, detail=str(err))
    except av.error.HTTPNotFoundError as err:
        return ProbeResult(False, NOT_FOUND, detail=str(err))
    except ConnectionRefusedError as err:
        return ProbeResult(False, REFUSED, detail=str(err))
    except (TimeoutError, av.error.ExitError) as err:
        return ProbeResult(False, TIMEOUT, detail=str(err))
    except (av.error.FFmpegError, OSError) as err:
        # FFmpeg reports a server that accepts but never answers as "invalid data" once its timeout
        # passes: an error that took the whole timeout is a timeout.
        waited = time.monotonic() - started >= open_timeout * 0.9
        return ProbeResult(False, TIMEOUT if waited else NOT_VIDEO, detail=str(err))
    try:
        return _read(container, read_seconds)
    finally:
        container.close()


def _read(container, read_seconds):
    import av

    if not container.streams.video:
        return ProbeResult(False, NOT_VIDEO, detail="no video stream")
    stream = container.streams.video[0]
    ctx = stream.codec_context
    result = ProbeResult(True, codec=ctx.name or "", width=ctx.width or 0, height=ctx.height or 0,
                         fps=float(stream.average_rate) if stream.average_rate else None)
    keyframes, deadline = [], time.monotonic() + read_seconds
    try:
        for packet in container.demux(stream):
            if packet.is_keyframe and packet.pts is not None:
                keyframes.append(float(packet.pts * packet.time_base))
                if len(keyframes) == 2:
                    break
            if time.monotonic() > deadline:
                break
    except (av.error.FFmpegError, OSError) as err:
        result.detail = str(err)
    if len(keyframes) == 2:
        result.keyframe_interval = round(keyframes[1] - keyframes[0], 2)
    elif not keyframes:
        return ProbeResult(False, NO_KEYFRAME, codec=result.codec, width=result.width, height=result.height,
                           detail=result.detail)
    return result
