"""The kiosk: the page an evaluator device or hall touch screen shows at one window. The device
authenticates with its token (in the URL once, at registration; then in a cookie); it shows the clerk
on duty (亮证上岗), binds the rating to the service the window just did, and thanks the citizen."""
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.models import CaseEvent

from ..actions import RatingRefused, submit_rating
from ..models import Channel, Device, DeviceKind, EvaluationSettings, Stage, token_hash
from ..service import on_duty, recent_service, staff_code_for
from .public import levels

COOKIE = "cw_device"
COOKIE_AGE = 3 * 365 * 24 * 3600


def device_of(request):
    token = request.COOKIES.get(COOKIE, "")
    if not token:
        return None
    return Device.objects.select_related("window__hall", "window__department").filter(
        token_hash=token_hash(token), active=True).first()


def _unregistered(request):
    return render(request, "evaluations/kiosk_unregistered.html", status=403)


def kiosk(request):
    token = request.GET.get("token")
    if token:  # the registration link: keep the token in a cookie, drop it from the address bar
        if not Device.objects.filter(token_hash=token_hash(token), active=True).exists():
            return _unregistered(request)
        response = redirect("evaluations:kiosk")
        response.set_cookie(COOKIE, token, max_age=COOKIE_AGE, httponly=True, samesite="Lax")
        return response
    device = device_of(request)
    if device is None:
        return _unregistered(request)
    now = timezone.now()
    Device.objects.filter(pk=device.pk).update(last_seen_at=now)
    config = EvaluationSettings.current()
    service = recent_service(device.window, now, config.recent_service_minutes)
    staff_code = None
    bound = None
    if service:
        case, stage, event = service
        events = list(CaseEvent.objects.filter(case_no=case.case_no).order_by("occurred_at", "pk"))
        staff_code = staff_code_for(events, stage)
        if not case.ratings.filter(stage=stage).exists():
            bound = {"case": case, "stage": Stage(stage), "at": event.occurred_at,
                     "item": case.item_version.name if case.item_version_id else ""}
    staff = on_duty(device.window, staff_code)
    return render(request, "evaluations/kiosk.html", {
        "device": device, "window": device.window, "staff": staff, "bound": bound, "levels": levels(),
        "initials": (staff.name[:1] if staff else "") or "?",
    })


@require_POST
def kiosk_rate(request):
    device = device_of(request)
    if device is None:
        return _unregistered(request)
    channel = Channel.TOUCH if device.kind == DeviceKind.TOUCH else Channel.DEVICE
    try:
        rating = submit_rating(request.POST.get("case_no", ""), channel=channel, now=timezone.now(),
                               source=f"device:{device.code}", window=device.window, device=device,
                               stage=request.POST.get("stage", ""), level=request.POST.get("level", ""))
    except RatingRefused as err:
        return render(request, "evaluations/kiosk_done.html", {"device": device, "error": str(err)}, status=400)
    return render(request, "evaluations/kiosk_done.html", {"device": device, "rating": rating,
                                                           "thanks": _("感谢您的评价！")})
