"""The camera point form. The stream address and password are write-only: password inputs that never
render a value, left blank on edit to keep what is stored."""
from django import forms
from django.utils.translation import gettext_lazy as _

from core.access import scoped
from core.templatetags.cw import join_list
from orgs.models import Hall, Window


class CameraForm(forms.Form):
    code = forms.RegexField(label=_("点位编码"), max_length=30, regex=r"^[A-Za-z0-9_.-]+$",
                            error_messages={"invalid": _("只能包含字母、数字、点、下划线和连字符")})
    name = forms.CharField(label=_("点位名称"), max_length=100)
    hall = forms.ModelChoiceField(label=_("所在大厅"), queryset=Hall.objects.none())
    windows = forms.ModelMultipleChoiceField(label=_("监控窗口"), queryset=Window.objects.none(), required=False,
                                             widget=forms.SelectMultiple(attrs={"size": 6}))
    stream_url = forms.CharField(
        label=_("视频流地址"), max_length=500, required=False, strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off",
                                                              "placeholder": "rtsp://admin@192.168.1.64:554/…"}),
        help_text=_("保密，只写不读：保存后不再显示。修改时留空表示不变。"))
    password = forms.CharField(
        label=_("视频流密码"), max_length=100, required=False, strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("可选；填入地址中用户名的密码。留空表示不变。"))
    retention_days = forms.IntegerField(label=_("录像保存天数"), min_value=1, max_value=365, initial=30)

    def __init__(self, *args, user, camera=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.camera = camera
        self.fields["hall"].queryset = scoped(Hall.objects.select_related("region"), user).order_by("code")
        self.fields["windows"].queryset = scoped(Window.objects.select_related("hall"), user).order_by("hall__code",
                                                                                                      "code")
        self.fields["windows"].label_from_instance = lambda w: f"{w.hall.name} {w.name}（{w.code}）"
        if camera is not None:
            self.fields["code"].disabled = True
            self.fields["code"].required = False
        else:
            self.fields["stream_url"].required = True

    def clean(self):
        data = super().clean()
        hall, windows = data.get("hall"), data.get("windows") or []
        if hall is not None:
            foreign = [w.code for w in windows if w.hall_id != hall.pk]
            if foreign:
                self.add_error("windows", _("窗口 %(codes)s 不在所选大厅") % {"codes": join_list(foreign)})
        return data
