"""Video API: cameras (never their stream addresses), their recorded coverage, observations."""
from datetime import datetime

from ninja import Router, Schema
from ninja.security import django_auth

from core.params import instant_param, required

from .access import cameras_for, observations_for, visible_camera
from .models import Observation, Segment

router = Router(tags=["video"], auth=django_auth)


class CameraRow(Schema):
    code: str
    name: str
    hall: str
    region: str
    status: str
    last_seen_at: datetime | None
    retention_days: int


class SegmentRow(Schema):
    start: datetime
    end: datetime | None
    size: int


class ObservationRow(Schema):
    number: str
    camera: str
    instant: datetime
    category: str
    status: str
    window: str | None
    department: str | None
    order_due: str | None
    serious: bool


@router.get("/video/cameras", response=list[CameraRow], summary="Cameras in your jurisdiction (no stream addresses)")
def cameras(request):
    qs = cameras_for(request.auth)
    return [CameraRow(code=c.code, name=c.name, hall=c.hall.code, region=c.hall.region_id, status=c.status,
                      last_seen_at=c.last_seen_at, retention_days=c.retention_days) for c in qs]


@router.get("/video/cameras/{path:code}/segments", response=list[SegmentRow],
            summary="Recorded segments of a camera between two instants (at most 1000)")
def segments(request, code: str, start: str | None = None, end: str | None = None):
    """start, end: ISO 8601 instants with an offset (core.params bounds them)."""
    start, end = required(instant_param(start, "start"), "start"), required(instant_param(end, "end"), "end")
    camera = visible_camera(request.auth, code)
    qs = Segment.objects.filter(camera=camera, start__lt=end).exclude(end__lt=start).order_by("start")[:1000]
    return list(qs.values("start", "end", "size"))


@router.get("/video/observations", response=list[ObservationRow], summary="Observations in your scope (latest 200)")
def observations(request):
    qs = observations_for(request.auth, Observation.objects.select_related("camera", "window", "department"))[:200]
    return [ObservationRow(number=o.number, camera=o.camera.code, instant=o.instant, category=o.category,
                           status=o.status, window=o.window.code if o.window else None,
                           department=o.department.code if o.department else None,
                           order_due=o.order_due.isoformat() if o.order_due else None, serious=o.serious)
            for o in qs]
