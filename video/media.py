"""Serving recordings to the browser: files with HTTP byte ranges (HLS parts are byte ranges of the
segment files) and the HLS playlists (live: written by the recorder; playback: built from the index)."""
import os
import re
from datetime import timedelta

from django.http import FileResponse, Http404, HttpResponse

RANGE = re.compile(r"bytes=(\d+)-(\d*)$")
HLS = "application/vnd.apple.mpegurl"
GAP = 0.5  # seconds between segments beyond which the player is told that timestamps restart


def serve_file(request, path, content_type):
    """The file, or the byte range the request asks for (206)."""
    try:
        size = os.path.getsize(path)
    except OSError:
        raise Http404
    match = RANGE.match(request.headers.get("Range", ""))
    if not match:
        response = FileResponse(open(path, "rb"), content_type=content_type)
        response["Accept-Ranges"] = "bytes"
        return response
    first = int(match.group(1))
    last = min(int(match.group(2)) if match.group(2) else size - 1, size - 1)
    if first > last:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    with open(path, "rb") as f:
        f.seek(first)
        body = f.read(last - first + 1)
    response = HttpResponse(body, status=206, content_type=content_type)
    response["Content-Range"] = f"bytes {first}-{last}/{size}"
    response["Accept-Ranges"] = "bytes"
    return response


def playlist_response(text):
    response = HttpResponse(text, content_type=HLS)
    response["Cache-Control"] = "no-cache"
    return response


def vod_playlist(segments, media_url):
    """An HLS playlist of the segments' parts (byte ranges), with their wall-clock times; a gap between
    segments is marked as a discontinuity. `media_url(segment)` gives each file's address."""
    lines, previous_end = [], None
    target = 1
    for seg in segments:
        if previous_end is not None and abs((seg.start - previous_end).total_seconds()) > GAP:
            lines.append("#EXT-X-DISCONTINUITY")
        offset_s = 0.0
        for offset, length, seconds in seg.parts:
            lines += [f"#EXT-X-PROGRAM-DATE-TIME:{(seg.start + timedelta(seconds=offset_s)).isoformat()}",
                      f"#EXTINF:{seconds:.3f},", f"#EXT-X-BYTERANGE:{length}@{offset}", media_url(seg)]
            offset_s += seconds
            target = max(target, int(seconds + 0.999))
        previous_end = seg.start + timedelta(seconds=offset_s)
    head = ["#EXTM3U", "#EXT-X-VERSION:4", f"#EXT-X-TARGETDURATION:{target}", "#EXT-X-MEDIA-SEQUENCE:0",
            "#EXT-X-PLAYLIST-TYPE:VOD"]
    return "\n".join(head + lines + ["#EXT-X-ENDLIST", ""])
