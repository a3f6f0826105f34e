"""Forms: every field validated with a message that names it; nothing valid is dropped on an error."""
from django import forms
from django.utils.translation import gettext_lazy as _

from orgs.models import Department

from .models import Category, Channel, Retention, Satisfaction, Validity


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ComplaintForm(forms.Form):
    category = forms.ChoiceField(label=_("投诉类别"), choices=Category.choices)
    department = forms.ModelChoiceField(label=_("被投诉部门"), queryset=Department.objects.all(), required=False,
                                        empty_label=_("不清楚 / 不针对具体部门"))
    subject = forms.CharField(label=_("标题"), max_length=120)
    content = forms.CharField(label=_("投诉内容"), widget=forms.Textarea(attrs={"rows": 6}), min_length=10,
                              max_length=5000)
    occurred_on = forms.DateField(label=_("发生日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("地点/窗口"), max_length=120, required=False)
    anonymous = forms.BooleanField(label=_("匿名投诉（不留姓名和联系方式）"), required=False)
    name = forms.CharField(label=_("姓名"), max_length=60, required=False)
    phone = forms.RegexField(label=_("联系电话"), regex=r"^[0-9+\- ]{5,20}$", required=False,
                             error_messages={"invalid": _("请填写有效的电话号码（数字，5–20 位）")})
    email = forms.EmailField(label=_("邮箱"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("anonymous") and not (data.get("name") or "").strip():
            self.add_error("name", _("实名投诉请填写姓名，或勾选匿名投诉"))
        if not data.get("anonymous") and not data.get("phone") and not data.get("email"):
            self.add_error("phone", _("实名投诉请留下电话或邮箱，以便反馈"))
        return data


class StaffComplaintForm(ComplaintForm):
    channel = forms.ChoiceField(label=_("渠道"),
                                choices=[c for c in Channel.choices if c[0] in ("hotline", "letter", "visit")])
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    field_order = ["channel"]


class ConsultationForm(forms.Form):
    department = forms.ModelChoiceField(label=_("咨询部门"), queryset=Department.objects.all(), required=False,
                                        empty_label=_("不清楚 / 综合咨询"))
    question = forms.CharField(label=_("咨询内容"), widget=forms.Textarea(attrs={"rows": 5}), min_length=5,
                               max_length=3000)
    name = forms.CharField(label=_("姓名（可不填）"), max_length=60, required=False)
    phone = forms.RegexField(label=_("联系电话（可不填）"), regex=r"^[0-9+\- ]{5,20}$", required=False,
                             error_messages={"invalid": _("请填写有效的电话号码（数字，5–20 位）")})


# a complaint (TS…) or consultation (ZX…) number: TS<yyyymmdd>-<sequence>
NUMBER_PATTERN = r"^(TS|ZX)\d{8}-\d{4,}$"


class TrackForm(forms.Form):
    number = forms.RegexField(label=_("编号"), regex=NUMBER_PATTERN, max_length=20,
                              error_messages={"invalid": _("编号格式应如 TS20260302-0001 或 ZX20260302-0001")})
    secret = forms.CharField(label=_("查询码"), max_length=20)


class RateForm(forms.Form):
    satisfaction = forms.ChoiceField(label=_("满意度"), choices=[c for c in Satisfaction.choices if c[0] != "no_reply"],
                                     widget=forms.RadioSelect)
    reopen = forms.BooleanField(label=_("不满意，申请重新办理（仅一次）"), required=False)
    note = forms.CharField(label=_("意见"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ArchiveForm(forms.Form):
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    validity = forms.ChoiceField(label=_("有效性"), choices=Validity.choices)
    retention = forms.ChoiceField(label=_("保管期限"), choices=Retention.choices)
    note = forms.CharField(label=_("说明"), required=False, max_length=1000)
