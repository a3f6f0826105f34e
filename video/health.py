"""Camera health: every change of a camera's status is a row; going offline raises an alert
(subject_type "camera", one per outage), coming back closes it. The recorder reports what it sees;
the stale tick catches a recorder that is itself gone."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from alerts.actions import AlertSpec, do_change_alerts, sync_alerts
from alerts.models import ACTIVE_STATUSES, Alert, AlertStatus, Level
from alerts.notify import notify
from core.audit import record_change
from orgs.lookup import centre_staff, centres_for

from .models import Camera, CameraStatus, CameraStatusChange

SUBJECT = "camera"
RULE = "CAMERA_OFFLINE"
LEVEL = Level.NOTICE


@transaction.atomic
def do_mark_cameras(changes, *, actor="recorder"):
    """changes: [(camera, to_status, at, reason)]. Applies those that change something; returns how many."""
    changes = [c for c in changes if c[0].status != c[1]]
    if not changes:
        return 0
    centres = centres_for([cam.hall.region_id for cam, *_ in changes])
    rows, specs, back = [], [], []
    for camera, to_status, at, reason in changes:
        old, camera.status, camera.status_since = camera.status, to_status, at
        rows.append(record_change(CameraStatusChange, camera, old, actor=actor, at=at, note=reason, save=False))
        if to_status == CameraStatus.OFFLINE:
            specs.append(_spec(camera, at, reason, centres.get(camera.hall.region_id)))
        elif to_status == CameraStatus.ONLINE:
            back.append(camera.code)
    CameraStatusChange.objects.bulk_create(rows)
    Camera.objects.bulk_update([c for c, *_ in changes], ["status", "status_since"])
    if specs:
        _raise(specs)
    if back:
        _close(back, changes, actor)
    return len(changes)


def _spec(camera, at, reason, centre_id):
    detail = _("%(name)s 离线：%(reason)s") % {"name": camera.name, "reason": reason or _("无画面")}
    return AlertSpec(subject_type=SUBJECT, subject_key=camera.code, rule=RULE, step=f"{at:%Y%m%dT%H%M%S}",
                     level=LEVEL, raised_at=at, detail=detail, department_id=None,
                     region_id=camera.hall.region_id, centre_id=centre_id)


def _raise(specs):
    new = sync_alerts(specs, {})
    for alert in new:
        if alert.centre_id:
            notify(centre_staff(alert.centre_id), _("监控点位离线"), alert.detail,
                   reverse("video:camera", args=[alert.subject_key]))


def _close(codes, changes, actor):
    at = {c.code: when for c, _s, when, _r in changes}
    alerts = list(Alert.objects.filter(subject_type=SUBJECT, rule=RULE, subject_key__in=codes,
                                       status__in=ACTIVE_STATUSES))
    for code in {a.subject_key for a in alerts}:
        mine = [a for a in alerts if a.subject_key == code]
        do_change_alerts(mine, to_status=AlertStatus.CLOSED, at=at[code], actor=actor, note=_("点位恢复在线"))


def offline_step_labels(alerts):
    """A camera alert's step is the instant the camera went dark (one alert per outage): shown as a
    local time, never the raw key (alerts.vocab)."""
    from datetime import datetime

    names = {}
    for a in alerts:
        try:
            names[(a.subject_key, a.step)] = datetime.strptime(a.step, "%Y%m%dT%H%M%S").strftime("%Y-%m-%d %H:%M")
        except ValueError:
            pass
    return names
