"""What several apps' admins share, and the auth app's user and group forms in the reader's language."""
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.utils.translation import gettext_lazy as _


class ReadOnlyAdmin:
    """An admin (or inline) mixin that shows rows and never adds, changes or deletes them: immutable
    records such as item versions and calendar revisions."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# ---- Permissions in the reader's language. Django stores a permission's name once, at `migrate`, from
# the model's untranslated name ("Can add 告警"): English words on the Chinese admin, Chinese data in an
# English option. The user and group forms build the label again from the model's name in the active
# language: "预警与督办 | 告警 | 可以添加告警", "Alerts | Alert | Can add alert".

DEFAULT_PERMISSIONS = {
    "add": _("可以添加%(model)s"), "change": _("可以修改%(model)s"),
    "delete": _("可以删除%(model)s"), "view": _("可以查看%(model)s"),
}


def permission_label(perm):
    """"app | model | action" of a Permission in the active language; a permission that is not one of a
    model's four defaults keeps its stored name."""
    model = perm.content_type.model_class()
    action, _sep, model_name = perm.codename.partition("_")
    name = perm.name
    if model is not None and action in DEFAULT_PERMISSIONS and model_name == model._meta.model_name:
        name = DEFAULT_PERMISSIONS[action] % {"model": model._meta.verbose_name}
    return f"{perm.content_type} | {name}"


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return permission_label(obj)


class PermissionLabels:
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in ("permissions", "user_permissions"):
            kwargs["form_class"] = PermissionChoiceField
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class CwUserAdmin(PermissionLabels, UserAdmin):
    pass


class CwGroupAdmin(PermissionLabels, GroupAdmin):
    pass


admin.site.unregister(User)
admin.site.unregister(Group)
admin.site.register(User, CwUserAdmin)
admin.site.register(Group, CwGroupAdmin)
