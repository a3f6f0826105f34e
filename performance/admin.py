"""Indicator schemes in the admin: editable until a published period has used them (then locked: copy
into a new version with the admin action). Saving validates the whole scheme (weights add up to
100, every metric exists) and writes the audit row with the indicators before and after."""
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.audit import record

from . import metrics, rules
from .actions import do_copy_scheme
from .models import Indicator, Scheme


def metric_choices():
    return [(code, f"{m.name}（{code}）" + ("" if m.available() else " — 暂未接入"))
            for code, m in metrics.REGISTRY.items()]


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["order", "code", "name", "stage", "metric", "step", "kind", "weight", "points", "cap", "target",
                  "threshold"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"] = forms.ChoiceField(label=_("计算项"), choices=metric_choices())
        # the steps by their names (a stored code no item has any more stays selectable, shown as it is)
        steps = metrics.known_steps()
        current = self.initial.get("step")
        if current and current not in steps:
            steps[current] = current
        self.fields["step"] = forms.ChoiceField(
            label=_("环节"), required=False, choices=[("", _("全部环节 / 不分环节")), *sorted(steps.items())],
            help_text=_("仅用于“时间去向”类计算项"))


class IndicatorFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [f.cleaned_data for f in self.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        errors = rules.validate_scheme(kept, metrics.units(), metrics.stepped(), set(metrics.known_steps()))
        if errors:
            raise ValidationError(errors)


class IndicatorInline(admin.TabularInline):
    model = Indicator
    form = IndicatorForm
    formset = IndicatorFormSet
    extra = 0

    def has_change_permission(self, request, obj=None):
        return not (obj and obj.locked) and super().has_change_permission(request, obj)

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


def snapshot(scheme):
    return [{k: str(v) if v is not None else None for k, v in i.as_rule().items()} for i in scheme.indicators.all()]


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "group", "version", "effective_from", "locked", "note"]
    list_filter = ["group", "locked"]
    inlines = [IndicatorInline]
    actions = ["copy_as_new_version"]

    def get_readonly_fields(self, request, obj=None):
        fixed = ["version", "locked"]
        return fixed + ["group", "effective_from", "note"] if obj and obj.locked else fixed

    def save_model(self, request, obj, form, change):
        if not change:
            last = Scheme.objects.filter(group=obj.group).order_by("-version").values_list("version", flat=True).first()
            obj.version = (last or 0) + 1
        request._scheme_before = snapshot(Scheme.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        scheme = form.instance
        record(request.user, "performance.scheme_edit" if change else "performance.scheme_add", "Scheme", scheme.pk,
               before=getattr(request, "_scheme_before", None), after=snapshot(scheme))

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("复制为新版本（从下月起用）"))
    def copy_as_new_version(self, request, queryset):
        from datetime import date, timedelta

        today = date.today()
        next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
        for scheme in queryset:
            new = do_copy_scheme(scheme, actor=request.user, effective_from=next_month,
                                 note=_("复制自 v%(v)d") % {"v": scheme.version})
            messages.success(request, _("已建立 %(s)s") % {"s": new})
