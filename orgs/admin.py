"""The organisations in the admin: simple lists with search and filters. Every save and delete writes
an audit row (core.audit) in the same transaction; lists are limited to what the user may see."""
import json

from django.contrib import admin
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.forms.models import model_to_dict

from core.access import scoped
from core.audit import record

from .models import Centre, Department, Hall, Region, Window, Staff


def snapshot(obj):
    return json.loads(json.dumps(model_to_dict(obj), cls=DjangoJSONEncoder))


class AuditedAdmin(admin.ModelAdmin):
    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request.user)

    def save_model(self, request, obj, form, change):
        name = obj._meta.model_name
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            record(request.user, f"{name}.{'update' if change else 'create'}", name, obj.pk,
                   before=before, after=snapshot(obj))

    def delete_model(self, request, obj):
        with transaction.atomic():
            record(request.user, f"{obj._meta.model_name}.delete", obj._meta.model_name, obj.pk, before=snapshot(obj))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                record(request.user, f"{obj._meta.model_name}.delete", obj._meta.model_name, obj.pk,
                       before=snapshot(obj))
            super().delete_queryset(request, queryset)


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    list_display = ("code", "name", "level", "parent", "path")
    list_filter = ("level",)
    search_fields = ("code", "name")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)

    def get_readonly_fields(self, request, obj=None):
        return ("code", "path") if obj else ("path",)  # the code is the key other rows refer to

    def save_model(self, request, obj, form, change):
        old_path = Region.objects.get(pk=obj.pk).path if change else None
        super().save_model(request, obj, form, change)
        if old_path and old_path != obj.path:
            moved = list(Region.objects.filter(path__startswith=old_path).exclude(pk=obj.pk))
            for region in moved:
                region.path = obj.path + region.path[len(old_path):]
            Region.objects.bulk_update(moved, ["path"])


@admin.register(Centre)
class CentreAdmin(AuditedAdmin):
    list_display = ("code", "name", "region", "phone", "email")
    search_fields = ("code", "name", "region__name")
    list_select_related = ("region",)
    autocomplete_fields = ("region",)


@admin.register(Hall)
class HallAdmin(AuditedAdmin):
    list_display = ("code", "name", "kind", "region", "phone")
    list_filter = ("kind", "region__level")
    search_fields = ("code", "name", "address")
    list_select_related = ("region",)
    autocomplete_fields = ("region",)


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ("code", "name", "region", "email")
    list_filter = ("region__level",)
    search_fields = ("code", "name")
    list_select_related = ("region",)
    autocomplete_fields = ("region",)


@admin.register(Window)
class WindowAdmin(AuditedAdmin):
    list_display = ("code", "name", "hall", "department")
    list_filter = ("hall__kind",)
    search_fields = ("code", "name", "hall__name", "department__name")
    list_select_related = ("hall", "department")
    autocomplete_fields = ("hall", "department")


@admin.register(Staff)
class StaffAdmin(AuditedAdmin):
    list_display = ("code", "name", "role", "centre", "department", "window", "post", "active")
    list_filter = ("role", "active")
    search_fields = ("code", "name", "user__username", "department__name")
    list_select_related = ("centre", "department", "window__hall")
    autocomplete_fields = ("user", "centre", "department", "window")
