"""The live wall in a real Chromium: live pictures from a simulated camera through the recorder, and
the picture advances (the video's clock runs)."""
import time

import pytest

from core.testing.browser import log_in, screenshot
from video.models import Camera
from video.recorder import Recorder

from .helpers import pump


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_shows_live_video_advancing_on_the_wall(live_server, new_page, video_dirs, org, simcam, people):
    for i, code in enumerate(["camT", "camT2", "camT3", "camT4"]):
        Camera.objects.create(code=code, name=f"政务服务中心{i + 1}号点位", hall=org["hall"],
                              stream_url=simcam.url("camT") if i == 0 else f"rtsp://127.0.0.1:{simcam.port}/none{i}")
    recorder = Recorder(codes=["camT", "camT2", "camT3", "camT4"])
    try:
        assert pump(recorder, lambda: (video_dirs / "video" / "camT" / "live.m3u8").exists()
                    and Camera.objects.get(code="camT").status == "online" and
                    Camera.objects.filter(status="offline").count() == 3, timeout=30)
        page = new_page()
        log_in(page, live_server.url, "league_sup")
        page.goto(live_server.url + "/video/?layout=4&tour=0")
        tile = page.locator('.vtile[data-camera="camT"]')
        tile.locator("video").evaluate("v => new Promise(r => v.readyState >= 2 ? r() : v.addEventListener('playing', r))")
        first = tile.locator("video").evaluate("v => v.currentTime")
        for _ in range(10):  # keep the recorder writing while the browser watches
            recorder.apply(recorder.drain())
            time.sleep(0.5)
        second = tile.locator("video").evaluate("v => v.currentTime")
        assert second - first > 2
        latency = tile.locator("video").evaluate("v => v.buffered.length ? v.buffered.end(0) - v.currentTime : 99")
        assert latency < 6
        assert page.locator(".vtile--offline").count() == 3
        screenshot(page, "video-wall")
        page.goto(live_server.url + "/video/cameras/camT/")
        page.locator("#player").evaluate("v => new Promise(r => v.readyState >= 2 ? r() : v.addEventListener('playing', r))")
        screenshot(page, "video-camera")
    finally:
        recorder.stop()
        recorder.join()
