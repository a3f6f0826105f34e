"""The forecast rule's configuration in the admin; every save writes an audit row (before, after)."""
from django.contrib import admin

from core.audit import record

from .models import ForecastConfig


@admin.register(ForecastConfig)
class ForecastConfigAdmin(admin.ModelAdmin):
    list_display = ["__str__", "enabled", "threshold", "refreshed_at"]
    readonly_fields = ["refreshed_at"]

    def has_add_permission(self, request):
        return not ForecastConfig.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        before = ForecastConfig.objects.get(pk=obj.pk).snapshot() if change else None
        super().save_model(request, obj, form, change)
        record(request.user, "forecast_config", "ForecastConfig", obj.pk, before=before, after=obj.snapshot(),
               reason=form.cleaned_data.get("reason", ""))
