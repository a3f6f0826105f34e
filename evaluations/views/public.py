"""Public pages: rating a case on the web or through an SMS/QR link (case number + check code), the
follow-up comment (追评), and each hall's and department's satisfaction."""
import hashlib
from datetime import date

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_http_methods

from cases.models import Case, CaseEvent
from workdays.zone import days_range

from .. import rules, stats
from ..actions import RatingRefused, do_add_follow_up_comment, submit_rating
from ..models import Channel, Level, Rating, Stage
from ..service import open_stages





def levels():
    return [{"value": value, "label": label, "code": rules.CODE[value]}
            for value, label in Level.choices]


def web_source(request):
    address = request.META.get("REMOTE_ADDR", "")
    return "web:" + hashlib.sha256(address.encode()).hexdigest()[:16]


def _case(case_no, code):
    if not case_no or not code:
        return None
    case = Case.objects.select_related("item_version", "department", "window__hall").filter(
        case_no=case_no.strip()).first()
    if case is None or not case.check_code or case.check_code != code.strip() or case.department_id is None:
        return None
    return case


VERIFIED = "cw_rate_cases"  # session: the case numbers this visitor proved with their check code
MAX_VERIFIED = 20


def _remember(request, case):
    """The check code was right: this session may rate the case without the code in any address."""
    cases = [c for c in request.session.get(VERIFIED, []) if c != case.case_no][-(MAX_VERIFIED - 1):]
    request.session[VERIFIED] = cases + [case.case_no]


def _verified(request, case_no):
    """The case, if this session proved its check code (and it still has one)."""
    if not case_no or case_no not in request.session.get(VERIFIED, []):
        return None
    case = Case.objects.select_related("item_version", "department", "window__hall").filter(case_no=case_no).first()
    return case if case is not None and case.check_code and case.department_id is not None else None


def _rate_url(case_no, sms=False):
    query = {"case": case_no, **({"ch": "sms"} if sms else {})}
    return reverse("evaluations:public_rate") + "?" + urlencode(query)


@require_http_methods(["GET", "POST"])
def public_new(request):
    """Look a case up by number and check code, sent by POST; the SMS/QR link carries both in its
    address once: they are checked, kept in the session, and the visitor is sent on to an address
    without the code (so it is not left in the history, logs or a shared link)."""
    case_no = (request.POST.get("case_no") or request.GET.get("case") or "").strip()
    code = (request.POST.get("code") or request.GET.get("code") or "").strip()
    if case_no and code:
        case = _case(case_no, code)
        if case:
            _remember(request, case)
            return redirect(_rate_url(case.case_no, sms=request.GET.get("ch") == "sms"))
        messages.error(request, _("办件编号或查询码不正确，请核对办件回执或短信"))
    elif request.method == "POST":
        messages.error(request, _("请填写办件编号和查询码"))
    return render(request, "evaluations/public_new.html", {"case_no": case_no, "levels": levels()})


@require_http_methods(["GET", "POST"])
def public_rate(request):
    data = request.POST if request.method == "POST" else request.GET
    case_no = data.get("case", "").strip()
    if request.method == "GET" and request.GET.get("code"):  # an old link with the code: check it, drop it
        case = _case(case_no, request.GET["code"])
        if case is not None:
            _remember(request, case)
            return redirect(_rate_url(case.case_no, sms=request.GET.get("ch") == "sms"))
    case = _verified(request, case_no)
    if case is None:
        messages.error(request, _("请先输入办件编号和查询码"))
        return redirect("evaluations:public_new")
    code = case.check_code
    here = _rate_url(case.case_no)
    if request.method == "POST":
        return _post(request, case, code, here)
    ratings = list(case.ratings.order_by("rated_at"))
    events = list(CaseEvent.objects.filter(case_no=case.case_no).order_by("occurred_at", "pk"))
    stages = [Stage(s) for s in open_stages(case, events, {r.stage for r in ratings})]
    now = timezone.now()
    for r in ratings:
        r.can_follow_up = not r.follow_up and rules.follow_up_open(r.rated_at, now)
    return render(request, "evaluations/public_rate.html", {
        "case": case, "stages": stages, "ratings": ratings, "levels": levels(),
        "channel": "sms" if data.get("ch") == "sms" else "web",
    })


def _post(request, case, code, here):
    now = timezone.now()
    try:
        if request.POST.get("follow_up_of"):
            rating = case.ratings.filter(number=request.POST["follow_up_of"]).first()
            if rating is None:
                raise RatingRefused("unknown", _("没有这条评价"))
            do_add_follow_up_comment(rating, request.POST.get("text", ""), now=now, actor=request.user)
            messages.success(request, _("追评已提交，谢谢！"))
            return redirect(here)
        channel = Channel.SMS if request.POST.get("channel") == "sms" else Channel.WEB
        rating = submit_rating(case.case_no, check_code=code, channel=channel, now=now, source=web_source(request),
                               stage=request.POST.get("stage", ""), level=request.POST.get("level", ""),
                               comment=request.POST.get("comment", ""), rater_phone=request.POST.get("phone", ""),
                               actor=request.user)
    except RatingRefused as err:
        messages.error(request, str(err))
        return redirect(here)
    if rating.is_bad:
        messages.success(request, _("评价已提交。您的差评将由部门回访核实，并在 15 个工作日内整改答复。"))
    else:
        messages.success(request, _("评价已提交，感谢您的评价！"))
    return redirect(here)


PERIODS = {"month": gettext_lazy("本月"), "year": gettext_lazy("本年"), "all": gettext_lazy("全部")}


def period_start(period, today):
    if period == "month":
        return today.replace(day=1)
    if period == "year":
        return date(today.year, 1, 1)
    return None


def public_stats(request):
    """Each hall's and department's satisfaction (public: no personal data, no staff)."""
    period = request.GET.get("period", "year")
    if period not in PERIODS:
        period = "year"
    start = period_start(period, timezone.localdate())
    qs = Rating.objects.filter(**days_range("rated_at", start))
    return render(request, "evaluations/public_stats.html", {
        "overall": stats.total(qs), "halls": stats.table(qs, "hall"), "departments": stats.table(qs, "department"),
        "period": period, "periods": PERIODS.items(),
    })
