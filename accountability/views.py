"""Accountability pages: the list, opening a case from an alert (or another record) in one click,
and one case with its stages, evidence, documents and history."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alerts.vocab import detail_text, rule_label
from core.access import is_centre_user, require, require_centre, scoped
from core.audit import record
from orgs.models import Department

from .access import may_open_office, visible_cases
from .actions import (
    SOURCES, AccountabilityError, do_advance_case, do_attach_document, do_open_case, is_overdue, source_object,
)
from .models import NEXT_STAGE, Decision, SourceType, Stage

PAGE_SIZE = 50


@login_required
def office(request):
    require(may_open_office, request.user)
    qs = visible_cases(request.user).select_related("department")
    stage = request.GET.get("stage", "")
    if stage in Stage.values:
        qs = qs.filter(stage=stage)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for case in page:
        case.overdue = is_overdue(case)
    return render(request, "accountability/list.html", {"page": page, "stage": stage, "stages": Stage.choices,
                                                        "can_open": is_centre_user(request.user)})


def _sources(request):
    """The (kind, object) the case is opened from, from ?alert=ID (or complaint=, rating=, observation=)."""
    found = []
    for kind in SOURCES:
        for pk in request.GET.getlist(kind) + request.POST.getlist(kind):
            obj = source_object(kind, pk, request.user) if str(pk).isdigit() else None
            if obj is None:
                raise Http404
            found.append((kind, obj))
    return found


@login_required
@require_http_methods(["GET", "POST"])
def open_case(request):
    require_centre(request.user)
    sources = _sources(request)
    departments = scoped(Department.objects.all(), request.user)
    first = sources[0][1] if sources else None
    initial = {"department": getattr(first, "department_id", "") or "", "source_type": sources[0][0] if sources else "other",
               "title": _default_title(first), "facts": _facts(sources[0][0], first) if sources else ""}
    if request.method == "POST":
        form = request.POST
        department = departments.filter(pk=form.get("department") or 0).first()
        try:
            case = do_open_case(actor=request.user, department=department, title=form.get("title"),
                                facts=form.get("facts"), source_type=form.get("source_type") or "other",
                                sources=sources, official=form.get("official", ""))
        except AccountabilityError as err:
            messages.error(request, str(err))
            initial = form
        else:
            messages.success(request, _("已立案：%(no)s") % {"no": case.number})
            return redirect("accountability:case", number=case.number)
    return render(request, "accountability/new.html", {
        "sources": sources, "departments": departments, "form": initial, "source_types": SourceType.choices,
    })


def _default_title(obj):
    if obj is None:
        return ""
    if hasattr(obj, "rule"):
        return _("%(level)s %(rule)s：%(key)s") % {"level": obj.get_level_display(), "rule": rule_label(obj.rule),
                                                   "key": obj.subject_key}
    return str(obj)


def _facts(kind, source):
    """The facts pre-filled from the first source: an alert's detail in the reader's language."""
    detail = getattr(source, "detail", "") or ""
    return detail_text(detail) if kind == "alert" else detail


@login_required
@require_http_methods(["GET", "POST"])
def case_detail(request, number):
    case = visible_cases(request.user).select_related("department").filter(number=number).first()
    if case is None:
        raise Http404
    if request.method == "POST":
        try:
            if request.POST.get("action") == "document":
                do_attach_document(case, actor=request.user, title=request.POST.get("title"),
                                   upload=request.FILES.get("file"))
                messages.success(request, _("文书已上传"))
            else:
                case = do_advance_case(case, actor=request.user, note=request.POST.get("note"),
                                       decision=request.POST.get("decision", ""),
                                       decision_text=request.POST.get("decision_text", ""),
                                       execution_note=request.POST.get("execution_note", ""))
                messages.success(request, _("已进入“%(s)s”阶段") % {"s": case.get_stage_display()})
            return redirect("accountability:case", number=case.number)
        except AccountabilityError as err:
            messages.error(request, str(err))
    stages = list(Stage.choices)
    reached = [v for v, _l in stages].index(case.stage)
    return render(request, "accountability/detail.html", {
        "case": case, "overdue": is_overdue(case), "next": NEXT_STAGE.get(case.stage),
        "next_label": dict(Stage.choices).get(NEXT_STAGE.get(case.stage), ""), "decisions": Decision.choices,
        "stages": [(v, label, i < reached, i == reached) for i, (v, label) in enumerate(stages)],
        "can_act": is_centre_user(request.user), "evidence": case.evidence.all(), "documents": case.documents.all(),
        "changes": case.changes.all(), "form": request.POST if request.method == "POST" else {},
    })


@login_required
def document(request, number, pk):
    case = visible_cases(request.user).filter(number=number).first()
    doc = case.documents.filter(pk=pk).first() if case else None
    if doc is None:
        raise Http404
    record(request.user, "accountability.document_view", "AccountabilityCase", case.pk, after={"document": doc.pk})
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.file.name.rsplit("/", 1)[-1])
