"""What several apps' admins share."""


class ReadOnlyAdmin:
    """An admin (or inline) mixin that shows rows and never adds, changes or deletes them: immutable
    records such as item versions and calendar revisions."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
