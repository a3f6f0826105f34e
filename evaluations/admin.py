from django.contrib import admin

from core.audit import record

from .models import EvaluationSettings


@admin.register(EvaluationSettings)
class EvaluationSettingsAdmin(admin.ModelAdmin):
    list_display = ["recent_service_minutes", "rectify_days", "default_rating_enabled", "default_rating_days",
                    "flood_limit", "burst_limit", "phone_burst_limit"]

    def has_add_permission(self, request):
        return not EvaluationSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        before = {f: form.initial.get(f) for f in form.changed_data}
        super().save_model(request, obj, form, change)
        record(request.user, "change_settings", "evaluations.EvaluationSettings", obj.pk, before=before,
               after={f: form.cleaned_data.get(f) for f in form.changed_data})
