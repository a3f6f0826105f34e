"""The back office: the centre's queue and the department's queue (the same page, scoped), one complaint
with the actions its viewer may take, staff registration of hotline / letter / visit complaints, the
attachments (centre only), and the consultations."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.access import get_visible, is_centre_user, require, require_centre, scoped
from core.crypto import lookup_hashes
from orgs.models import Department
from workdays.zone import local_date

from .. import actions as A
from ..forms import ArchiveForm, StaffComplaintForm
from ..models import Attachment, Category, Channel, Complaint, ComplainantIdentity, ConsultStatus, Consultation, Status
from ..access import allowed_actions, complaint_fields, handles, may_open_office
from ..rules import RUNNING
from .public import top_region

PAGE_SIZE = 30


def _office_user(request):
    require(may_open_office, request.user)


@login_required
def office(request):
    _office_user(request)
    qs = scoped(Complaint.objects.select_related("assignee", "department"), request.user)
    f = {k: request.GET.get(k, "") for k in ("status", "category", "channel", "q")}
    if f["status"] in Status.values:
        qs = qs.filter(status=f["status"])
    elif f["status"] == "overdue":  # what complaint_overdue (and so an overdue alert) finds today
        today = local_date(timezone.now())
        qs = qs.filter(Q(status=Status.SUBMITTED, register_due__lt=today) | Q(status__in=RUNNING, due__lt=today))
    elif f["status"] == "":
        qs = qs.exclude(status=Status.ARCHIVED)
    if f["category"] in Category.values:
        qs = qs.filter(category=f["category"])
    if f["channel"] in Channel.values:
        qs = qs.filter(channel=f["channel"])
    if f["q"]:
        qs = qs.filter(Q(number__icontains=f["q"]) | Q(subject__icontains=f["q"]))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "complaints/office.html", {
        "page": page, "f": f, "centre": is_centre_user(request.user), "shows": complaint_fields(request.user),
        "statuses": Status.choices,
        "categories": Category.choices, "channels": Channel.choices,
    })


@login_required
@require_http_methods(["GET", "POST"])
def staff_new(request):
    require_centre(request.user)
    form = StaffComplaintForm(request.POST or None)
    form.fields["department"].queryset = scoped(Department.objects.all(), request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        staff = getattr(request.user, "staff", None)
        region = staff.centre.region if staff is not None and staff.centre_id else top_region()
        try:
            c, secret = A.do_submit_complaint(A.ComplaintInput(
                category=d["category"], subject=d["subject"], content=d["content"], region=region,
                department=d["department"], occurred_on=d["occurred_on"], place=d["place"],
                anonymous=d["anonymous"], name=d["name"], phone=d["phone"], email=d["email"], address=d["address"],
            ), channel=d["channel"], actor=request.user)
            A.do_register_complaint(c, actor=request.user, note=_("工作人员登记"))
        except A.ComplaintError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, _("已登记投诉 %(no)s，查询码 %(s)s（请告知投诉人，此码只显示一次）") % {
                "no": c.number, "s": secret})
            return redirect("complaints:detail", number=c.number)
    return render(request, "complaints/staff_new.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def detail(request, number):
    _office_user(request)
    c = get_visible(Complaint.objects.select_related("assignee", "department", "centre", "merged_into"),
                    request.user, number=number)
    centre = is_centre_user(request.user)
    can = allowed_actions(request.user, c)
    if request.method == "POST":
        return _act(request, c, can)
    changes = c.changes.all() if centre else c.changes.filter(department_may_see=True)
    ctx = {"c": c, "can": can, "centre": centre, "shows": complaint_fields(request.user), "changes": changes,
           "handles": handles(request.user, c),
           "archive_form": ArchiveForm(initial={"category": c.category}) if "archive" in can else None}
    if "identity" in ctx["shows"]:  # identity, attachments and candidate repeats: centre staff only
        ctx["identity"] = get_visible(ComplainantIdentity.objects.all(), request.user, complaint=c)
        ctx["attachments"] = scoped(Attachment.objects.filter(complaint=c), request.user)
        ctx["departments"] = scoped(Department.objects.all(), request.user)
        ctx["repeats"] = _repeats(c, ctx["identity"])
        ctx["merged"] = c.merged.all()
    return render(request, "complaints/detail.html", ctx)


def _repeats(c, identity):
    """Other complaints of the same centre about the same department and category, or from the same phone
    (its keyed hash: the numbers stay encrypted): candidates to merge."""
    if c.status not in (Status.SUBMITTED, Status.REGISTERED):
        return []
    qs = Complaint.objects.filter(centre=c.centre).exclude(pk=c.pk).exclude(
        status__in=(Status.MERGED, Status.DECLINED, Status.REDIRECTED))
    same = Q(category=c.category) & (Q(department=c.department) if c.department_id else Q(subject=c.subject))
    phone = lookup_hashes(identity.phone, "phone") if identity is not None else []
    if phone:
        same |= Q(identity__phone_hash__in=phone)
    return list(qs.filter(same).order_by("submitted_at")[:10])


def _act(request, c, can):
    action = request.POST.get("action", "")
    if action not in can:
        raise PermissionDenied
    p, u = request.POST, request.user
    try:
        if action == "register":
            A.do_register_complaint(c, actor=u, note=p.get("note", ""))
        elif action == "decline":
            A.do_decline_complaint(c, actor=u, reasons=p.get("reasons", ""))
        elif action == "redirect":
            A.do_redirect_complaint(c, actor=u, to=p.get("to", ""), reasons=p.get("reasons", ""))
        elif action == "merge":
            into = get_visible(Complaint.objects.all(), u, number=p.get("into", "").strip())
            A.do_merge_complaint(c, into=into, actor=u, reason=p.get("reason", ""))
        elif action == "assign":
            dept_id = p.get("department", "")
            dept = get_visible(Department.objects.all(), u, pk=dept_id) if dept_id.isdigit() else None
            A.do_assign_complaint(c, actor=u, department=dept, instructions=p.get("instructions", ""))
        elif action == "answer":
            A.do_answer_complaint(c, actor=u, findings=p.get("findings", ""), measures=p.get("measures", ""))
        elif action == "verify":
            A.do_verify_complaint(c, actor=u, note=p.get("note", ""))
        elif action == "return":
            A.do_return_complaint(c, actor=u, note=p.get("note", ""))
        elif action == "feed_back":
            A.do_feed_back_complaint(c, actor=u, feedback=p.get("feedback", ""))
        elif action == "rate":
            A.do_rate_complaint(c, satisfaction=p.get("satisfaction", ""), reopen=p.get("reopen") == "on",
                                actor=u, note=p.get("note", ""))
        elif action == "request_extension":
            A.do_request_extension(c, actor=u, reason=p.get("reason", ""))
        elif action == "decide_extension":
            A.do_decide_extension(c, actor=u, approve=p.get("approve") == "yes", note=p.get("note", ""))
        elif action == "archive":
            form = ArchiveForm(p)
            if not form.is_valid():
                raise A.ComplaintError(_("归档须选择类别、有效性和保管期限"))
            A.do_archive_complaint(c, actor=u, **form.cleaned_data)
    except A.ComplaintError as err:
        messages.error(request, str(err))
    else:
        messages.success(request, _("已保存"))
    if not is_centre_user(u) and not scoped(Complaint.objects.filter(pk=c.pk), u).exists():
        return redirect("complaints:office")
    return redirect("complaints:detail", number=c.number)


@login_required
def attachment(request, pk):
    require_centre(request.user)
    a = get_visible(Attachment.objects.all(), request.user, pk=pk)
    response = FileResponse(a.file.open("rb"), content_type=a.content_type, as_attachment=True,
                            filename=f"{a.complaint.number}-{a.pk}.{a.file.name.rsplit('.', 1)[-1]}")
    response["Content-Security-Policy"] = "sandbox"
    return response


# ---- consultations ---------------------------------------------------------------------------------

@login_required
def consultations(request):
    _office_user(request)
    qs = scoped(Consultation.objects.select_related("department"), request.user)
    status, term = request.GET.get("status", ""), request.GET.get("q", "").strip()[:50]
    if status in ConsultStatus.values:
        qs = qs.filter(status=status)
    if term:
        qs = qs.filter(Q(number__icontains=term) | Q(question__icontains=term) | Q(answer__icontains=term))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "complaints/consultations.html", {
        "page": page, "status": status, "term": term, "statuses": ConsultStatus.choices,
        "centre": is_centre_user(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def consultation(request, number):
    _office_user(request)
    q = get_visible(Consultation.objects.select_related("department"), request.user, number=number)
    centre = is_centre_user(request.user)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "answer":
                A.do_answer_consultation(q, actor=request.user, answer=request.POST.get("answer", ""))
            elif action in ("publish", "unpublish") and centre:
                A.do_publish_consultation(q, actor=request.user, publish=action == "publish",
                                          faq_question=request.POST.get("faq_question", ""))
            else:
                raise PermissionDenied
        except A.ComplaintError as err:
            messages.error(request, str(err))
        else:
            messages.success(request, _("已保存"))
        return redirect("complaints:consultation", number=number)
    return render(request, "complaints/consultation.html", {"q": q, "centre": centre, "changes": q.changes.all()})
