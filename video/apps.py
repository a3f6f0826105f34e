from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class VideoConfig(AppConfig):
    name = "video"
    verbose_name = _("视频监察")

    def ready(self):
        from core import ticks
        from ledger import chain

        from .models import EvidenceClip, ObservationChange
        from .ticks import camera_tests_tick, retention_tick, stale_cameras_tick

        from core import backup

        from .conf import evidence_root

        backup.register_directory("evidence", evidence_root)  # sealed clips; the rolling recordings are not kept
        ticks.register("video.stale_cameras", stale_cameras_tick)
        ticks.register("video.retention", retention_tick)
        ticks.register("video.camera_tests", camera_tests_tick)

        from alerts.vocab import register_details, register_rules, register_step_labels

        from .health import RULE, SUBJECT, offline_step_labels

        register_rules({RULE: _("摄像机离线")})
        register_step_labels(SUBJECT, offline_step_labels)

        from django.urls import reverse

        from alerts.subjects import register_subject

        register_subject(SUBJECT, _("摄像机"), lambda alert: reverse("video:camera", args=[alert.subject_key]))
        register_details([gettext_noop("%(name)s 离线：%(reason)s")])  # health._spec writes it
        # ledgered (docs/ledger.md); actor_name keeps who acted if the user is deleted (actor set NULL)
        chain.register(ObservationChange, exclude=("actor_id",), on_create=True)
        # evidence seals (its key is a UUID): the clip as sealed, with its file's hash; the sealer's user id
        # is left out (sealed_by_name keeps who), and the last check's outcome (verified_at/ok) changes later
        chain.register(EvidenceClip, exclude=("sealed_by_id", "verified_at", "verified_ok"), on_create=True)
