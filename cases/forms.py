"""Workbench forms. Each action form turns its cleaned input into the fields of one exchange event
(`event_fields()`); cases.actions adds the common ones and sends it through ingest."""
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _, ngettext

from alerts.models import Level
from catalog.models import versions_in_force
from core.templatetags.cw import paren
from orgs.models import Window

from .models import CaseStatus
from .validate import CHANNELS
from .vocab import CHANNEL_LABELS, RESULT_LABELS, SUSPEND_KIND_LABELS
from .access import ACTIONS, items_for
from .actions import id_number_problem

PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
SUSPEND_KINDS = list(SUSPEND_KIND_LABELS.items())
RESULTS = list(RESULT_LABELS.items())
TEXTAREA = forms.Textarea(attrs={"rows": 2})


class RegisterForm(forms.Form):
    item = forms.ChoiceField(label=_("办理事项"))
    applicant_name = forms.CharField(label=_("申请人姓名"), max_length=100)
    applicant_id_number = forms.CharField(label=_("申请人身份证号"), max_length=18, min_length=1,
                                          widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}))
    applicant_phone = forms.CharField(label=_("联系电话"), max_length=20,
                                      widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    channel = forms.ChoiceField(label=_("申请渠道"), choices=[(c, CHANNEL_LABELS[c]) for c in CHANNELS],
                                initial="window")
    window = forms.ModelChoiceField(label=_("受理窗口"), queryset=Window.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = {i.code: i for i in items_for(user).order_by("code")}
        names = versions_in_force(self.items, timezone.localdate())
        self.fields["item"].choices = [("", _("— 请选择事项 —"))] + [
            (code, f"{names[code].name}{paren(code)}" if code in names else code) for code in self.items]
        staff = getattr(user, "staff", None)
        if staff is not None and staff.window_id:
            del self.fields["window"]  # a window clerk registers at their own window
        else:
            dept = staff.department_id if staff is not None else None
            self.fields["window"].queryset = Window.objects.filter(department_id=dept).select_related("hall")

    def clean_item(self):
        return self.items[self.cleaned_data["item"]]

    def clean_applicant_name(self):
        return self.cleaned_data["applicant_name"].strip()

    def clean_applicant_id_number(self):
        value = self.cleaned_data["applicant_id_number"].strip().upper()
        problem = id_number_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return value

    def clean_applicant_phone(self):
        value = self.cleaned_data["applicant_phone"].strip().replace(" ", "")
        if not PHONE.match(value):
            raise forms.ValidationError(_("请填写 11 位手机号或带区号的固定电话，如 13912345678 或 0479-8221234"))
        return value

    def applicant(self):
        d = self.cleaned_data
        return {"name": d["applicant_name"], "id_number": d["applicant_id_number"], "phone": d["applicant_phone"]}


class ActionForm(forms.Form):
    """Base: knows the case and the item version in force for it."""

    def __init__(self, *args, case, **kwargs):
        kwargs.setdefault("prefix", self.prefix_name)
        super().__init__(*args, **kwargs)
        self.case, self.version = case, case.item_version

    prefix_name = None

    @property
    def action_label(self):
        return ACTIONS[self.prefix_name].label

    def event_fields(self):
        return {}


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("理由"), max_length=2000, widget=TEXTAREA)

    def event_fields(self):
        return {"reason": self.cleaned_data["reason"].strip()}


class SupplementForm(ActionForm):
    prefix_name = "request_supplement"
    materials = forms.MultipleChoiceField(label=_("需补正的材料"), required=False,
                                          widget=forms.CheckboxSelectMultiple)
    other_materials = forms.CharField(label=_("其他材料（每行一项）"), required=False, max_length=2000,
                                      widget=TEXTAREA)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = [m["name"] for m in (self.version.materials if self.version else [])]
        self.fields["materials"].choices = [(n, n) for n in names]
        if not names:
            del self.fields["materials"]

    def clean(self):
        data = super().clean()
        chosen = list(data.get("materials") or [])
        chosen += [line.strip() for line in (data.get("other_materials") or "").splitlines() if line.strip()]
        if not chosen:
            field = "materials" if "materials" in self.fields else "other_materials"
            self.add_error(field, _("请至少列出一项需要补正的材料（一次性告知）"))
        data["material_list"] = chosen
        return data

    def event_fields(self):
        return {"materials": self.cleaned_data["material_list"]}


class StepForm(ActionForm):
    step = forms.ChoiceField(label=_("环节"))
    opinion = forms.CharField(label=_("办理意见"), required=False, max_length=2000, widget=TEXTAREA)

    def __init__(self, *args, steps=None, **kwargs):
        """`steps`: the steps offered (those the user may do); by default every step of the item, so
        that a posted step the user may not do reaches the workbench's own check and its message."""
        super().__init__(*args, **kwargs)
        if steps is None:
            steps = self.version.steps if self.version else []
        self.fields["step"].choices = [(s["code"], s["name"]) for s in steps]

    def event_fields(self):
        fields = {"step": self.cleaned_data["step"]}
        if self.cleaned_data["opinion"].strip():
            fields["opinion"] = self.cleaned_data["opinion"].strip()
        return fields


class StartStepForm(StepForm):
    prefix_name = "start_step"


class CompleteStepForm(StepForm):
    prefix_name = "complete_step"


class SuspendForm(ActionForm):
    prefix_name = "suspend"
    kind = forms.ChoiceField(label=_("暂停类型"), choices=SUSPEND_KINDS)
    reason = forms.CharField(label=_("暂停理由"), max_length=2000, widget=TEXTAREA)

    def event_fields(self):
        return {"kind": self.cleaned_data["kind"], "reason": self.cleaned_data["reason"].strip()}


class ExtendForm(ActionForm):
    prefix_name = "extend"
    days = forms.IntegerField(label=_("延长工作日数"), min_value=1, max_value=60)
    approved_by = forms.CharField(label=_("批准人（机关负责人）"), max_length=200)
    reason = forms.CharField(label=_("延期理由"), max_length=2000, widget=TEXTAREA)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.version:
            self.fields["days"].help_text = ngettext(
                "本事项最长可延长 %(n)d 个工作日（行政许可法第四十二条），且只能延期一次",
                "本事项最长可延长 %(n)d 个工作日（行政许可法第四十二条），且只能延期一次",
                self.version.max_extension_days) % {"n": self.version.max_extension_days}

    def event_fields(self):
        d = self.cleaned_data
        return {"days": d["days"], "approved_by": d["approved_by"].strip(), "reason": d["reason"].strip()}


class FeeForm(ActionForm):
    prefix_name = "charge_fee"
    fee_code = forms.ChoiceField(label=_("收费项目"))
    amount = forms.DecimalField(label=_("金额（元）"), min_value=0, max_digits=12, decimal_places=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fees = self.version.fees if self.version else []
        self.fields["fee_code"].choices = [
            (f["code"], _("%(name)s（标准不超过 %(max)s 元）") % {"name": f["name"], "max": f["max_amount"]})
            for f in fees]

    def event_fields(self):
        return {"fee_code": self.cleaned_data["fee_code"], "amount": f"{self.cleaned_data['amount']:.2f}"}


class CompleteForm(ActionForm):
    prefix_name = "complete"
    result = forms.ChoiceField(label=_("办理结果"), choices=RESULTS, widget=forms.RadioSelect, initial="approved")

    def event_fields(self):
        return {"result": self.cleaned_data["result"]}


def _named(base, *actions):
    """The forms of actions that ask for nothing more than their base does: the base under each action's name."""
    return {action: type(base.__name__, (base,), {"prefix_name": action}) for action in actions}


ACTION_FORMS = {
    **_named(ActionForm, "accept", "supplement_received", "resume"),
    **_named(ReasonForm, "reject", "withdraw"),
    **{f.prefix_name: f for f in (
        SupplementForm, StartStepForm, CompleteStepForm, SuspendForm, ExtendForm, FeeForm, CompleteForm)},
}


class CaseFilterForm(forms.Form):
    STATES = [("open", _("在办")), ("late", _("已超期")), ("ended", _("已办结/终止")), ("all", _("全部"))]
    state = forms.ChoiceField(label=_("范围"), choices=STATES, required=False)
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("全部状态"))] + list(CaseStatus.choices))
    level = forms.ChoiceField(label=_("告警"), required=False, choices=[
        ("", _("全部")), ("any", _("有告警")), *Level.choices])
    q = forms.CharField(label=_("办件编号或申请人"), required=False, max_length=64)
