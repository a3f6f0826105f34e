"""The online workbench pages: my cases, register a case, one case with its clocks and actions, and
the printable receipt (受理回执). Views stay thin: access through cases.access, writes through the
do_… functions of cases.actions, which go through cases.ingest like every other event."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case as When_, Count, F, IntegerField, Q, Value, When
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import scoped

from . import access, actions, applicants
from .forms import ACTION_FORMS, CaseFilterForm, RegisterForm
from .models import ENDED_STATUSES, Case
from .present import events, present
from .vocab import CHANNEL_LABELS

PAGE_SIZE = 25


# -- my cases -------------------------------------------------------------------------------------
@login_required
@require_GET
def workbench(request):
    access.require_reader(request.user)
    form = CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    mine = scoped(Case.objects.exclude(status="incomplete"), request.user)
    qs = _filtered(mine, filters)
    qs = qs.select_related("item_version", "window", "applicant").annotate(
        ended=When_(When(status__in=ENDED_STATUSES, then=Value(1)), default=Value(0), output_field=IntegerField()),
    ).order_by("ended", F("promised_due").asc(nulls_last=True), "-received_at", "-pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/workbench.html", {
        "form": form, "page": page, "counts": _counts(mine, timezone.localdate()), "can_act": access.can_act(request.user),
        "state": filters.get("state") or "open",
    })


def _filtered(qs, filters):
    state = filters.get("state") or "open"
    if state == "open":
        qs = qs.exclude(status__in=ENDED_STATUSES)
    elif state == "late":
        qs = qs.filter(late=True)
    elif state == "ended":
        qs = qs.filter(status__in=ENDED_STATUSES)
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    level = filters.get("level")
    if level == "any":
        qs = qs.exclude(alert_level="")
    elif level:
        qs = qs.filter(alert_level=level)
    if filters.get("q"):
        q = filters["q"].strip()
        qs = qs.filter(Q(case_no__icontains=q) | applicants.search(q))  # the applicant: exactly
    return qs


def _counts(mine, today):
    """The summary tiles, in one aggregate query."""
    open_q = ~Q(status__in=ENDED_STATUSES)
    return mine.aggregate(
        open=Count("pk", filter=open_q),
        late=Count("pk", filter=open_q & Q(late=True)),
        alerts=Count("pk", filter=open_q & ~Q(alert_level="")),
        today=Count("pk", filter=Q(received_at__date=today)),
    )


# -- register ----------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def register(request):
    access.acting_staff(request.user)
    form = RegisterForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = actions.do_register_case(item=d["item"], applicant=form.applicant(), channel=d["channel"],
                                       window=d.get("window"), actor=request.user)
        except actions.WorkbenchError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, _("已收件，办件编号 %(no)s。请打印受理回执交申请人。") % {"no": case.case_no})
            return redirect("cases:receipt", case_no=case.case_no)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "cases/register.html", {"form": form}, status=status)


# -- one case ----------------------------------------------------------------------------------
@login_required
@require_GET
def case_detail(request, case_no):
    case = access.visible_case(request.user, case_no)
    return _render_case(request, case)


@login_required
@require_POST
def act(request, case_no, action):
    case = access.visible_case(request.user, case_no)
    access.acting_staff(request.user)
    form_class = ACTION_FORMS.get(action)
    if form_class is None or action not in {a.code for a in access.available_actions(case, request.user)}:
        messages.error(request, _("办件当前状态为“%(status)s”，不能进行该操作。") % {"status": case.get_status_display()})
        return redirect("cases:case", case_no=case.case_no)
    form = form_class(request.POST, case=case)
    if not form.is_valid():
        return _render_case(request, case, bound=form, status=400)
    try:
        actions.do_record_action(case, action, form.event_fields(), actor=request.user)
    except actions.WorkbenchError as err:
        form.add_error(None, str(err))
        return _render_case(request, case, bound=form, status=400)
    messages.success(request, _("已记录：%(action)s") % {"action": access.ACTIONS[action].label})
    return redirect("cases:case", case_no=case.case_no)


def _render_case(request, case, bound=None, status=200):
    view = present(case, timezone.now())
    allowed = access.allowed_steps(case, request.user, view.state)
    forms = _action_forms(case, request.user, bound, allowed)
    return render(request, "cases/case.html", {
        "case": case, "clocks": view.as_of, "steps": view.steps({s["code"] for s in allowed}), "alerts": view.alerts(),
        "events": events(case, newest_first=True, limit=200), "forms": forms, "bound": bound.prefix if bound else "", "bound_form": bound,
        "applicant": actions.applicant_of(case, request.user), "can_act": access.can_act(request.user),
        "channel": CHANNEL_LABELS.get(case.channel, case.channel), "ended": case.status in ENDED_STATUSES,
        "today": timezone.localdate(),
    }, status=status)


def _action_forms(case, user, bound, allowed):
    """The forms of the actions `user` may take; a step action offers only the steps they may do
    (`allowed`: their post, separation of duties), and is not offered when there is none."""
    forms = {}
    version = case.item_version
    for action in access.available_actions(case, user):
        if action.code == "charge_fee" and not (version and version.fees):
            continue
        extra = {}
        if action.code in access.STEP_ACTIONS:
            if not allowed:
                continue
            extra = {"steps": allowed}
        form_class = ACTION_FORMS[action.code]
        forms[action.code] = (bound if bound is not None and bound.prefix == action.code
                              else form_class(case=case, **extra))
    return forms


# -- the receipt --------------------------------------------------------------------------------
@login_required
@require_GET
def receipt(request, case_no):
    case = access.visible_case(request.user, case_no)
    if case.status == "incomplete":
        raise PermissionDenied
    return render(request, "cases/receipt.html", {
        "case": case, "applicant": actions.applicant_of(case, request.user, receipt=True),
        "channel": CHANNEL_LABELS.get(case.channel, case.channel), "version": case.item_version,
        "clerk": actions.registering_staff(case),
    })
