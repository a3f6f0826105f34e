"""The public side: file a complaint or a consultation, follow it with number + secret, rate the
answer, read the published answers to common questions."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from orgs.models import Region

from .. import intake
from ..actions import (
    ComplaintError, ComplaintInput, do_rate_complaint, do_submit_complaint, do_submit_consultation, secret_matches,
)
from ..forms import ComplaintForm, ConsultationForm, RateForm, TrackForm
from ..models import Channel, Complaint, ConsultStatus, Consultation, Status

TRACKED = "complaints.tracked"  # numbers this browser proved it knows the secret of
RECEIPT = "complaints.receipt"


def top_region():
    return Region.objects.filter(parent=None, centre__isnull=False).order_by("path").first() or \
        Region.objects.order_by("path").first()


def _guard(request, form):
    """Honeypot, time token and rate limit; adds a form error and returns False when refused."""
    if request.POST.get(intake.HONEYPOT):
        form.add_error(None, _("提交未通过校验，请再次提交"))
        return False
    problem = intake.token_problem(request.POST.get("ts"))
    if problem:
        form.add_error(None, problem)
        return False
    if intake.over_limit(request, "submit"):
        form.add_error(None, _("同一网络提交过于频繁，请一小时后再试，或拨打监督电话（内容已保留）"))
        return False
    return True


def _files(request, form):
    try:
        return intake.check_files(request.FILES.getlist("attachments"))
    except ValueError as err:
        form.add_error(None, _("附件：%(e)s。投诉内容已保留，请重新选择附件后提交。") % {"e": err})
        return None


@require_http_methods(["GET", "POST"])
def public_new(request):
    form = ComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _guard(request, form):
        files = _files(request, form)
        if files is not None:
            d = form.cleaned_data
            try:
                complaint, secret = do_submit_complaint(ComplaintInput(
                    category=d["category"], subject=d["subject"], content=d["content"], region=top_region(),
                    department=d["department"], occurred_on=d["occurred_on"], place=d["place"],
                    anonymous=d["anonymous"], name=d["name"], phone=d["phone"], email=d["email"], files=files,
                ), channel=Channel.PORTAL, actor="portal")
            except ComplaintError as err:
                form.add_error(None, str(err))
            else:
                return _receipt(request, complaint.number, secret)
    return render(request, "complaints/public_new.html", {"form": form, "ts": intake.new_token(),
                                                          "max_mb": intake.max_file_bytes() // (1024 * 1024)})


@require_http_methods(["GET", "POST"])
def consult_new(request):
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _guard(request, form):
        d = form.cleaned_data
        try:
            q, secret = do_submit_consultation(question=d["question"], region=top_region(), department=d["department"],
                                               name=d["name"], phone=d["phone"], channel=Channel.PORTAL,
                                               actor="portal")
        except ComplaintError as err:
            form.add_error(None, str(err))
        else:
            return _receipt(request, q.number, secret)
    return render(request, "complaints/consult_new.html", {"form": form, "ts": intake.new_token()})


def _receipt(request, number, secret):
    request.session[RECEIPT] = {"number": number, "secret": secret}
    _remember(request, number)
    return redirect("complaints:receipt")


def receipt(request):
    data = request.session.pop(RECEIPT, None)
    if not data:
        return redirect("complaints:track")
    return render(request, "complaints/receipt.html", data)


def _remember(request, number):
    tracked = request.session.get(TRACKED, [])[-19:]
    request.session[TRACKED] = tracked + [number]


@require_http_methods(["GET", "POST"])
def track(request):
    # ?number= comes from the case lookup (/track/) when a complaint number was typed there
    form = TrackForm(request.POST or None, initial={"number": request.GET.get("number", "")[:20]})
    if request.method == "POST" and form.is_valid():
        if intake.over_limit(request, "lookup"):
            form.add_error(None, _("查询过于频繁，请稍后再试"))
        else:
            number, secret = form.cleaned_data["number"], form.cleaned_data["secret"]
            model = Complaint if number.startswith("TS") else Consultation
            obj = model.objects.filter(number=number).first()
            if obj is not None and secret_matches(obj, secret):
                _remember(request, number)
                return redirect("complaints:progress", number=number)
            form.add_error(None, _("编号或查询码不正确"))
    return render(request, "complaints/track.html", {"form": form})


@require_http_methods(["GET", "POST"])
def progress(request, number):
    if number not in request.session.get(TRACKED, []):
        return redirect("complaints:track")
    if number.startswith("ZX"):
        q = Consultation.objects.filter(number=number).first()
        if q is None:
            raise Http404
        return render(request, "complaints/consult_progress.html", {"q": q})
    c = Complaint.objects.select_related("merged_into").filter(number=number).first()
    if c is None:
        raise Http404
    shown = c.merged_into if c.status == Status.MERGED and c.merged_into else c
    form = RateForm(request.POST or None) if shown is c and c.status == Status.FED_BACK else None
    if request.method == "POST" and form is not None and form.is_valid():
        d = form.cleaned_data
        try:
            do_rate_complaint(c, satisfaction=d["satisfaction"], reopen=d["reopen"], note=d["note"])
        except ComplaintError as err:
            messages.error(request, str(err))
        else:
            messages.success(request, _("感谢您的评价"))
        return redirect("complaints:progress", number=number)
    steps = shown.changes.exclude(action__in=("extension_request", "extension_rejected")).only(
        "at", "action", "to_status")
    return render(request, "complaints/progress.html", {"c": c, "shown": shown, "form": form, "steps": steps,
                                                         "can_reopen": c.reopens < 1})


def faq(request):
    qs = Consultation.objects.filter(published=True, status=ConsultStatus.ANSWERED).select_related("department")
    term = request.GET.get("q", "").strip()[:50]
    if term:
        qs = qs.filter(Q(faq_question__icontains=term) | Q(answer__icontains=term))
    page = Paginator(qs.order_by("-answered_at", "-pk"), 20).get_page(request.GET.get("page"))
    return render(request, "complaints/faq.html", {"page": page, "term": term})
