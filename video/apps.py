from django.apps import AppConfig


class VideoConfig(AppConfig):
    name = "video"

    def ready(self):
        from core import ticks

        from .health import stale_cameras_tick
        from .retention import retention_tick

        ticks.register("video.stale_cameras", stale_cameras_tick)
        ticks.register("video.retention", retention_tick)
