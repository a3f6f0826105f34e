from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VideoConfig(AppConfig):
    name = "video"
    verbose_name = _("视频监察")

    def ready(self):
        from core import ticks
        from ledger import chain

        from .health import stale_cameras_tick
        from .models import ObservationChange
        from .retention import retention_tick

        ticks.register("video.stale_cameras", stale_cameras_tick)
        ticks.register("video.retention", retention_tick)

        from alerts.vocab import register_rules, register_step_labels

        from .health import RULE, SUBJECT, offline_step_labels

        register_rules({RULE: _("摄像机离线")})
        register_step_labels(SUBJECT, offline_step_labels)
        # ledgered (docs/ledger.md); actor_name keeps who acted if the user is deleted (actor set NULL)
        chain.register(ObservationChange, exclude=("actor_id",), on_create=True)
