"""Public progress lookup (进度查询): case number + check code -> status, steps done, promised date,
late or not. The answer for an unknown case and for a wrong code is the same, and wrong answers are
throttled per address (each failure is a row in the audit ledger, so the count holds across
processes; once an address is locked no more rows are written for it)."""
import re
import secrets
from datetime import timedelta

from django import forms
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy as _l, ngettext
from django.views.decorators.http import require_http_methods

from cases.models import Case
from cases.present import present
from complaints.forms import NUMBER_PATTERN
from core.audit import record
from core.auth import client_ip
from core.models import AuditEntry

FAILED = "track_lookup_failed"
OBJECT = "track_ip"


def max_failures():
    return getattr(settings, "TRACK_MAX_FAILURES", 10)


def lock_minutes():
    return getattr(settings, "TRACK_LOCK_MINUTES", 15)


class TrackForm(forms.Form):
    case_no = forms.CharField(label=_l("办件编号"), max_length=64,
                              widget=forms.TextInput(attrs={"placeholder": _l("如 152502-20260302-W000001"),
                                                            "autocomplete": "off", "spellcheck": "false"}))
    check_code = forms.CharField(label=_l("查询码"), max_length=12,
                                 widget=forms.TextInput(attrs={"placeholder": _l("回执上的 6 位数字"),
                                                               "inputmode": "numeric", "autocomplete": "off"}))

    def clean_case_no(self):
        return self.cleaned_data["case_no"].strip()

    def clean_check_code(self):
        return self.cleaned_data["check_code"].strip()


def is_locked(ip):
    since = timezone.now() - timedelta(minutes=lock_minutes())
    failures = AuditEntry.objects.filter(object_type=OBJECT, object_id=ip or "", action=FAILED, at__gte=since)
    return failures.count() >= max_failures()


def note_failure(ip):
    record("track", FAILED, OBJECT, ip or "")


def find_case(case_no, check_code):
    """The case when the number and code match; None otherwise (compared in constant time)."""
    case = (Case.objects.exclude(status="incomplete").select_related("item_version", "department", "window__hall")
            .filter(case_no=case_no).first())
    stored = case.check_code if case is not None and case.check_code else "-" * 6
    matches = secrets.compare_digest(stored.encode(), check_code.encode())
    return case if case is not None and case.check_code and matches else None


@require_http_methods(["GET", "POST"])
def track(request):
    form = TrackForm(request.POST or None)
    result, status = None, 200
    complaint_no = None
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request)
        if re.match(NUMBER_PATTERN, form.cleaned_data["case_no"].upper()):
            # a complaint or consultation number, not a case: send the person to the right lookup
            # (nothing is looked up here, so it is no failed attempt)
            complaint_no = form.cleaned_data["case_no"].upper()
            form.add_error("case_no", _("这是投诉或咨询的编号，不是办件编号。"))
        elif is_locked(ip):
            form.add_error(None, ngettext("查询失败次数过多，请 %(n)d 分钟后再试。", "查询失败次数过多，请 %(n)d 分钟后再试。",
                                            lock_minutes()) % {"n": lock_minutes()})
            status = 429
        else:
            case = find_case(form.cleaned_data["case_no"], form.cleaned_data["check_code"])
            if case is None:
                note_failure(ip)
                form.add_error(None, _("办件编号或查询码不正确，请核对受理回执后重新输入。"))
            else:
                result = present(case, timezone.now()).public()  # what the public may see
    elif request.method == "POST":
        status = 400
    return render(request, "cases/track.html", {"form": form, "result": result, "complaint_no": complaint_no},
                  status=status)
