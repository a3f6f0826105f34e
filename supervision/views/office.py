"""Simple pages of the urge loop: alerts with a bulk urge, the urge list, one urge with its actions."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _, ngettext
from django.views.decorators.http import require_http_methods

from alerts.filters import filter_alerts, read_filters
from alerts.models import Alert, AlertStatus, Level
from alerts.vocab import rule_labels
from core import uploads
from core.access import get_visible, require_office, scope_of, scoped
from core.audit import record
from core.pdf import PdfError, html_to_pdf
from core.roles import Role
from core.templatetags.cw import join_list
from orgs.models import Department, Region

from ..access import ANSWER, CLOSE, RETURN, urge_actions
from ..actions import UrgeError, do_answer_urge, do_close_urge, do_issue_urges, do_return_urge
from ..dashboard import link_alerts
from ..models import Urge, UrgeAttachment, UrgeStatus
from ..sheet import sheet_context

PAGE_SIZE = 50


@login_required
@require_http_methods(["GET", "POST"])
def alert_list(request):
    require_office(request.user)
    scope = scope_of(request.user)
    if request.method == "POST":
        return _bulk_urge(request, scope)
    qs, f = _filtered_alerts(request)
    page = Paginator(qs.order_by("-raised_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = link_alerts(page.object_list)
    mine = _my_urges(request, scope)
    return render(request, "supervision/alert_list.html", {
        "page": page, "f": f, "status": f["status"], "level": f["level"], "statuses": AlertStatus.choices,
        "levels": Level.choices, "rules": rule_labels(), "can_urge": scope.is_centre, "my_urges": mine,
        "is_department": scope.role in (Role.DEPT_MANAGER, Role.WINDOW_STAFF),
        "departments": scoped(Department.objects.all(), request.user).only("code", "name"),
        "regions": scoped(Region.objects.exclude(level="community"), request.user).only("code", "name"),
    })


def _filtered_alerts(request):
    """The alert list's filters (alerts.filters, the same as the API's), open alerts unless asked."""
    f = read_filters(request.GET, status=AlertStatus.OPEN)
    return filter_alerts(scoped(Alert.objects.select_related("department", "region"), request.user), f), f


def _my_urges(request, scope):
    """A department's urges waiting for its answer (the department's 'my alerts and urges' view)."""
    if scope.role not in (Role.DEPT_MANAGER, Role.WINDOW_STAFF):
        return []
    return list(scoped(Urge.objects.filter(status=UrgeStatus.ISSUED), request.user).order_by("deadline")[:20])


def _bulk_urge(request, scope):
    if not scope.is_centre:
        raise PermissionDenied
    ids = [int(i) for i in request.POST.getlist("alert") if i.isdigit()]
    alerts = list(scoped(Alert.objects.filter(pk__in=ids), request.user))
    try:
        days = int(request.POST.get("answer_days") or 3)
        staff = getattr(request.user, "staff", None)
        centre = staff.centre if staff is not None and staff.centre_id else (alerts[0].centre if alerts else None)
        urges = do_issue_urges(alerts, centre=centre, actor=request.user, demand=request.POST.get("demand", ""),
                               answer_days=days)
    except (UrgeError, ValueError) as err:
        messages.error(request, str(err))
        return redirect(request.get_full_path())
    messages.success(request, ngettext("已发出 %(n)d 份督办单：%(nos)s", "已发出 %(n)d 份督办单：%(nos)s", len(urges)) % {
        "n": len(urges), "nos": join_list(u.number for u in urges)})
    return redirect("supervision:urges")


@login_required
def urge_list(request):
    require_office(request.user)
    qs = scoped(Urge.objects.select_related("centre", "department"), request.user)
    status = request.GET.get("status", "")
    if status in UrgeStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "supervision/urge_list.html", {"page": page, "status": status,
                                                           "statuses": UrgeStatus.choices})


@login_required
@require_http_methods(["GET", "POST"])
def urge_detail(request, number):
    require_office(request.user)
    urge = get_visible(Urge.objects.select_related("centre", "department", "issued_by"), request.user, number=number)
    if request.method == "POST":
        return _urge_action(request, urge)
    return _urge_page(request, urge)


def _urge_page(request, urge, typed="", status=200):
    actions = urge_actions(request.user, urge)  # only the buttons this person may use on the urge as it is
    return render(request, "supervision/urge_detail.html", {
        "urge": urge, "alerts": link_alerts(urge.alerts.select_related("department")), "changes": urge.changes.all(),
        "can_answer": ANSWER in actions, "can_close": CLOSE in actions, "can_return": RETURN in actions,
        "attachments": urge.attachments.all(), "max_files": uploads.MAX_FILES,
        "max_mb": uploads.max_file_bytes() // (1024 * 1024), "typed": typed,
    }, status=status)


def _urge_action(request, urge):
    """Who may act is decided inside the action (supervision.access): UrgeForbidden is a 403."""
    action, text = request.POST.get("action"), request.POST.get("text", "")
    try:
        if action == ANSWER:
            try:
                files = uploads.check_files(request.FILES.getlist("attachments"), max_files=uploads.MAX_FILES,
                                            max_bytes=uploads.max_file_bytes())
            except ValueError as err:  # the same checks as the complaint forms; what was typed stays
                messages.error(request, str(err))
                return _urge_page(request, urge, typed=text, status=400)
            do_answer_urge(urge, actor=request.user, answer=text, files=files)
        elif action == CLOSE:
            do_close_urge(urge, actor=request.user, note=text)
        elif action == RETURN:
            do_return_urge(urge, actor=request.user, note=text)
        else:
            raise PermissionDenied
    except UrgeError as err:
        messages.error(request, str(err))
    return redirect("supervision:urge", number=urge.number)


@login_required
def urge_print(request, number, fmt="html"):
    """The 督办单 as an A4 page to print, or as a PDF (the same page printed by core.pdf)."""
    require_office(request.user)
    urge = get_visible(Urge.objects.select_related("centre", "department"), request.user, number=number)
    context = sheet_context(urge)
    if fmt != "pdf":
        return render(request, "supervision/urge_print.html", {**context, "for_screen": True})
    try:
        content = html_to_pdf(render_to_string("supervision/urge_print.html", context, request=request))
    except PdfError as err:
        return HttpResponse(str(err), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{urge.number}.pdf"'
    return response


@login_required
def urge_attachment(request, pk):
    """One file of an urge's answer: the centre and the urged department (scoped like the urge), sent as
    a download in a sandbox, and every download recorded in the audit ledger."""
    require_office(request.user)
    a = get_visible(UrgeAttachment.objects.select_related("urge"), request.user, pk=pk)
    record(request.user, "urge.attachment.download", "urge", a.urge.number, after={"attachment": a.pk})
    response = FileResponse(a.file.open("rb"), content_type=a.content_type, as_attachment=True,
                            filename=f"{a.urge.number}-{a.pk}.{a.file.name.rsplit('.', 1)[-1]}")
    response["Content-Security-Policy"] = "sandbox"
    return response
