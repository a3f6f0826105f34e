"""The calendar in the admin: days listed by year and month, edited through do_set_day (with a required
reason, so every edit is a revision and an audit entry); revisions read-only."""
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin

from .models import CalendarDay, CalendarRevision, check_day, do_open_year, do_set_day



class CalendarDayForm(forms.ModelForm):
    reason = forms.CharField(label=_("修改原因"), widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("例如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）"))

    class Meta:
        model = CalendarDay
        fields = ["date", "is_workday", "kind", "name"]

    def clean(self):
        data = super().clean()
        if "is_workday" in data and data.get("kind"):
            errors = check_day(data["is_workday"], data["kind"])
            if errors:
                raise ValidationError(errors)
        return data


class OpenYearForm(forms.Form):
    year = forms.IntegerField(label=_("年份"), min_value=1900, max_value=2200)
    reason = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("例如：录入国务院办公厅发布的2027年节假日安排"))


class YearFilter(admin.SimpleListFilter):
    title = _("年份")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).dates("date", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request, queryset):
        return queryset.filter(date__year=int(self.value())) if self.value() else queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    form = CalendarDayForm
    list_display = ("date", "weekday", "is_workday", "kind", "name", "source")
    list_filter = (YearFilter, "kind", "is_workday", "source")
    date_hierarchy = "date"
    search_fields = ("name",)
    list_per_page = 62
    fields = ("date", "is_workday", "kind", "name", "reason", "source", "revision")
    actions = None
    change_list_template = "workdays/calendarday_change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.open_year_view)
        return [path("open-year/", view, name="workdays_calendarday_open_year"), *super().get_urls()]

    def open_year_view(self, request):
        """Step one of entering a new year: fill it Mon–Fri, then edit its holidays and make-up days."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = OpenYearForm(request.POST or None, initial={"year": timezone.localdate().year + 1})
        if request.method == "POST" and form.is_valid():
            year = form.cleaned_data["year"]
            created = do_open_year(year, request.user, form.cleaned_data["reason"])
            self.message_user(request, _t("%(year)s年已预填%(count)s天（周一至周五为工作日），请逐日修改法定节假日和调休上班日。")
                              % {"year": year, "count": created}, messages.SUCCESS)
            return redirect(reverse("admin:workdays_calendarday_changelist") + f"?year={year}")
        context = {**self.admin_site.each_context(request), "form": form, "opts": self.model._meta,
                   "title": _("录入新年度日历")}
        return TemplateResponse(request, "workdays/open_year.html", context)

    @admin.display(description=_("星期"))
    def weekday(self, obj):
        return date_format(obj.date, "l")  # 星期四 / Thursday: the weekday in the reader's language

    def get_readonly_fields(self, request, obj=None):
        return ("date", "source", "revision") if obj else ("source", "revision")

    def has_delete_permission(self, request, obj=None):
        return False  # a day is corrected, never removed: removing it would silently fall back to Mon–Fri

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = do_set_day(obj.date, data["is_workday"], data["kind"], data.get("name", ""),
                           request.user, data["reason"])
        obj.source, obj.revision_id = saved.source, saved.revision_id


@admin.register(CalendarRevision)
class CalendarRevisionAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ("id", "at", "source", "actor_name", "changed", "reason")
    list_filter = ("source",)
    readonly_fields = ("at", "source", "actor", "actor_name", "reason", "changed", "summary")
    exclude = ("token",)
