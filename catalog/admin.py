"""The power list in the admin. An item's versions are shown read-only; saving the item form never
changes a version: it goes through catalog.actions (do_create_item / do_edit_item), which makes a
new version effective from the date given and writes the audit row."""
from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.access import scoped
from core.admin import ReadOnlyAdmin
from core.templatetags.cw import join_list

from .actions import check_edit, do_create_item, do_edit_item
from .guide import completeness
from .models import CONTENT_FIELDS, Item, ItemVersion
from .schema import validate_item

JSON_FIELDS = ("steps", "fees", "materials")
TEXT_FIELDS = ("legal_basis", "process", "result", "location", "consult_phone", "complaint_phone")


def latest(item):
    """The latest version from the prefetched versions (no query when prefetched)."""
    versions = list(item.versions.all())
    return max(versions, key=lambda v: (v.effective_from, v.number)) if versions else None


# Guide elements that are not a field of their own (catalog.guide.CHECKS).
ELEMENT_LABELS = {"responsible_person": _("环节责任人")}


def missing_labels(missing):
    return [str(ELEMENT_LABELS.get(name) or ItemVersion._meta.get_field(name).verbose_name) for name in missing]


class _ItemFormBase(forms.ModelForm):
    class Meta:
        model = Item
        fields = ["code", "department", "published"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in TEXT_FIELDS + JSON_FIELDS:
            self.fields[name].required = False
        for name in JSON_FIELDS:
            self.fields[name].help_text = _("JSON 列表，格式见 docs/catalog.md")
        if self.instance.pk and not self.is_bound:
            version = self.instance.current_version()
            if version:
                self.initial.update(version.content())

    def changes(self):
        """The form's values in the catalog file's format."""
        data = self.cleaned_data
        values = {name: data.get(name) for name in CONTENT_FIELDS}
        for name in JSON_FIELDS:
            values[name] = values[name] if values[name] is not None else []
        for name in TEXT_FIELDS:
            values[name] = values[name] or ""
        values["published"] = data.get("published", True)
        department = data.get("department") or getattr(self.instance, "department", None)
        values["department"] = department.code if department else None
        return values

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if self.instance.pk:
            item = Item.objects.select_related("department").get(pk=self.instance.pk)
            errors, _record = check_edit(item, self.changes(), data["effective_from"])
        else:
            raw = {"code": data.get("code"), **self.changes(), "effective_from": data["effective_from"].isoformat()}
            errors, _record = validate_item(raw, [raw["department"]])
        if errors:
            raise forms.ValidationError(errors)
        return data


ItemForm = type("ItemForm", (_ItemFormBase,), {
    **forms.fields_for_model(ItemVersion, fields=CONTENT_FIELDS),
    "effective_from": forms.DateField(label=_("新版本生效日期"), initial=timezone.localdate,
                                      help_text=_("内容有变化时生成新版本，自该日起生效（不得早于最新版本）")),
    "reason": forms.CharField(label=_("修改原因"), required=False, widget=forms.Textarea(attrs={"rows": 2})),
})


class VersionInline(ReadOnlyAdmin, admin.TabularInline):
    model = ItemVersion
    fields = ("number", "effective_from", "name", "promised_limit_days", "legal_limit_days", "guide", "created_at")
    readonly_fields = fields
    ordering = ("-effective_from", "-number")
    show_change_link = True
    extra = 0

    @admin.display(description=_("指南完整度"))
    def guide(self, version):
        percent, missing = completeness(version)
        return format_html('<span title="{}">{}%</span>', join_list(missing_labels(missing)), percent)


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    form = ItemForm
    inlines = [VersionInline]
    list_display = ("code", "name", "department", "version", "effective_from", "guide", "published")
    list_filter = ("published", "department__region")
    search_fields = ("code", "versions__name", "department__name")
    list_select_related = ("department",)
    autocomplete_fields = ("department",)
    fieldsets = (
        (None, {"fields": ("code", "department", "published")}),
        (_("事项内容（保存后生成新版本）"), {"fields": CONTENT_FIELDS}),
        (_("生效"), {"fields": ("effective_from", "reason")}),
    )

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request.user).prefetch_related("versions")

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False  # items are withdrawn (published = false), never deleted: cases refer to them

    @admin.display(description=_("事项名称"))
    def name(self, item):
        version = latest(item)
        return version.name if version else ""

    @admin.display(description=_("版本"))
    def version(self, item):
        version = latest(item)
        return f"v{version.number}" if version else "-"

    @admin.display(description=_("生效日期"))
    def effective_from(self, item):
        version = latest(item)
        return version.effective_from if version else "-"

    @admin.display(description=_("指南完整度"))
    def guide(self, item):
        version = latest(item)
        if version is None:
            return "-"
        percent, missing = completeness(version)
        return format_html('<span title="{}">{}%</span>', join_list(missing_labels(missing)), percent)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            item = Item.objects.get(pk=obj.pk)
            version = do_edit_item(item, form.changes(), data["effective_from"], request.user, data.get("reason", ""))
            if version is None:
                messages.info(request, _("事项内容未变化，未生成新版本。"))
            return
        raw = {"code": data["code"], **form.changes(), "effective_from": data["effective_from"].isoformat()}
        item = do_create_item(raw, request.user)
        obj.pk, obj._state.adding = item.pk, False


@admin.register(ItemVersion)
class ItemVersionAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Versions are immutable: view only."""

    list_display = ("item_code", "number", "effective_from", "name", "promised_limit_days", "legal_limit_days")
    list_select_related = ("item",)
    search_fields = ("item__code", "name")
    list_filter = ("kind",)

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request.user)

    @admin.display(description=_("事项编码"), ordering="item__code")
    def item_code(self, version):
        return version.item.code
