"""Back-office pages: overview, ratings and their follow-up, statistics with export, devices, signals."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alerts.models import ACTIVE_STATUSES, Alert
from core.access import require_office, scoped
from core.audit import record_unmasked
from core.masking import mask_phone
from core.params import date_param
from orgs.models import Window
from workdays.zone import days_range

from .. import rules, stats
from ..access import (follow_up_actions, may_register_devices, may_unmask_rater, ratings_for,
                      require_follow_up_action, visible_rating)
from ..actions import (DeviceError, FollowUpError, do_register_device, do_set_device_active, do_answer, do_mark_void, do_record_visit, do_reject_dispute,
                       do_verify)
from ..models import (SUBJECT, Channel, Device, DeviceKind, FollowUp, Level, OPEN_FOLLOW_UP, Rating,
                      RefusedRating)

PAGE_SIZE = 50


@login_required
def office(request):
    require_office(request.user)
    today = timezone.localdate()
    ratings = ratings_for(request.user)
    month = ratings.filter(**days_range("rated_at", today.replace(day=1)))
    follows = scoped(FollowUp.objects.filter(status__in=OPEN_FOLLOW_UP), request.user).select_related(
        "rating__department", "rating__window__hall", "rating__staff")
    return render(request, "evaluations/office.html", {
        "month": stats.total(month), "year": stats.total(ratings.filter(**days_range("rated_at", today.replace(month=1, day=1)))),
        "follows": follows[:20], "open_count": follows.count(), "overdue_count": follows.filter(overdue=True).count(),
        "signals": _signals(request).filter(status__in=ACTIVE_STATUSES).count(),
    })


@login_required
def rating_list(request):
    require_office(request.user)
    qs = ratings_for(request.user, Rating.objects.select_related("department", "window__hall", "staff", "case"))
    f = {k: request.GET.get(k, "") for k in ("level", "channel", "kind", "q")}
    if f["level"] in Level.values:
        qs = qs.filter(level=f["level"])
    if f["channel"] in Channel.values:
        qs = qs.filter(channel=f["channel"])
    if f["kind"] == "bad":
        qs = qs.filter(level__in=rules.BAD, is_default=False)
    elif f["kind"] == "default":
        qs = qs.filter(is_default=True)
    elif f["kind"] == "flagged":
        qs = qs.exclude(flags=[])
    if f["q"]:
        qs = qs.filter(Q(number=f["q"].strip()) | Q(case__case_no=f["q"].strip()))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "evaluations/rating_list.html", {
        "page": page, "f": f, "levels": Level.choices, "channels": Channel.choices, "query": query.urlencode(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def rating_detail(request, number):
    require_office(request.user)
    rating = visible_rating(request.user, number, Rating.objects.select_related(
        "case", "department", "window__hall", "staff", "item", "device"))
    if rating is None:
        raise Http404
    follow = FollowUp.objects.filter(rating=rating).first()
    if request.method == "POST":
        return _follow_action(request, rating, follow)
    phone = rating.rater_phone
    may_unmask = may_unmask_rater(request.user, rating, follow)
    unmasked = may_unmask and request.GET.get("unmask") == "1"
    if unmasked:
        record_unmasked(request.user, "rating", rating.number, "rater phone for 回访")
    return render(request, "evaluations/rating_detail.html", {
        "rating": rating, "follow": follow, "can": dict.fromkeys(follow_up_actions(request.user, follow), True), "changes": follow.changes.all() if follow else [],
        "phone": phone if unmasked else mask_phone(phone), "may_unmask": may_unmask and not unmasked,
        "applicant_phone": mask_phone(rating.case.applicant_phone),
        "alerts": Alert.objects.filter(subject_type=SUBJECT, subject_key=rating.number),
    })


def _follow_action(request, rating, follow):
    action, text, now = request.POST.get("action", ""), request.POST.get("text", ""), timezone.now()
    require_follow_up_action(request.user, follow, action)
    try:
        if action == "visit":
            do_record_visit(follow, note=text, actor=request.user, now=now)
        elif action in ("verify_yes", "verify_no"):
            do_verify(follow, substantiated=action == "verify_yes", note=text, actor=request.user, now=now)
        elif action == "answer":
            do_answer(follow, rectification=request.POST.get("rectification", ""), answer=text, actor=request.user,
                      now=now)
        elif action in ("void_unsubstantiated", "void_malicious"):
            do_mark_void(follow, malicious=action == "void_malicious", reason=text, actor=request.user, now=now)
        elif action == "reject":
            do_reject_dispute(follow, reason=text, actor=request.user, now=now)
        else:
            raise PermissionDenied
        messages.success(request, _("已保存：%(s)s") % {"s": follow.get_status_display()})
    except FollowUpError as err:
        messages.error(request, str(err))
    return redirect("evaluations:rating", number=rating.number)


def _period(request):
    today = timezone.localdate()
    start = date_param(request.GET, "start", today.replace(month=1, day=1))
    end = date_param(request.GET, "end", today)
    return start, end


@login_required
def statistics(request):
    require_office(request.user)
    dimension = request.GET.get("by", "department")
    if dimension not in stats.DIMENSIONS:
        dimension = "department"
    start, end = _period(request)
    qs = ratings_for(request.user, Rating.objects.filter(**days_range("rated_at", start, end)))
    rows = stats.table(qs, dimension)
    label = stats.DIMENSIONS[dimension][0]
    if request.GET.get("format") == "xlsx":
        body = stats.excel(rows, f"{label}")
        response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="ratings-{dimension}-{start}-{end}.xlsx"'
        return response
    overall = stats.total(qs)
    chart = {"names": [n for n, _t in rows[:20]], "rates": [t.satisfaction_rate for _n, t in rows[:20]],
             "levels": [{"name": str(lbl), "value": overall.counts[v]} for v, lbl in Level.choices if overall.counts[v]]}
    return render(request, "evaluations/statistics.html", {
        "rows": rows, "overall": overall, "dimension": dimension, "dimensions": [(k, v[0]) for k, v in
                                                                                 stats.DIMENSIONS.items()],
        "label": label, "start": start, "end": end, "chart": chart, "headers": stats.HEADERS,
        "export": request.GET.copy(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def devices(request):
    require_office(request.user)
    may_register = may_register_devices(request.user)
    windows = scoped(Window.objects.select_related("hall"), request.user)
    new_token = None
    if request.method == "POST":
        if not may_register:
            raise PermissionDenied
        new_token = _device_action(request, windows)
        if new_token is None:
            return redirect("evaluations:devices")
    qs = scoped(Device.objects.select_related("window__hall"), request.user)
    return render(request, "evaluations/devices.html", {
        "devices": qs, "windows": windows, "kinds": DeviceKind.choices, "may_register": may_register,
        "new_token": new_token,
        "kiosk_link": request.build_absolute_uri(reverse("evaluations:kiosk")) + f"?token={new_token[1]}"
        if new_token else "",
    })


def _device_action(request, windows):
    try:
        if request.POST.get("action") == "register":
            window = windows.filter(pk=request.POST.get("window") or 0).first()
            device, token = do_register_device(window, code=request.POST.get("code", ""),
                                               name=request.POST.get("name", ""),
                                               kind=request.POST.get("kind", DeviceKind.DEVICE), actor=request.user)
            return device, token
        device = scoped(Device.objects.all(), request.user).filter(pk=request.POST.get("device") or 0).first()
        if device is None:
            raise DeviceError(_("没有这台设备"))
        if request.POST.get("action") == "renew":
            device, token = do_register_device(device.window, code=device.code, name=device.name, kind=device.kind,
                                               actor=request.user, renew=device)
            return device, token
        do_set_device_active(device, active=request.POST.get("action") == "enable", actor=request.user)
        messages.success(request, _("已保存"))
    except DeviceError as err:
        messages.error(request, str(err))
    return None


def _signals(request):
    return scoped(Alert.objects.filter(subject_type=SUBJECT), request.user)


@login_required
def signals(request):
    require_office(request.user)
    alerts = _signals(request).select_related("department", "region").order_by("-raised_at")
    refused = RefusedRating.objects.filter(Q(window__in=scoped(Window.objects.all(), request.user)))
    return render(request, "evaluations/signals.html", {
        "alerts": Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page")),
        "refused": refused.select_related("device", "window")[:50],
    })
