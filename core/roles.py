"""The human roles of DOMAIN.md (integration clients are API keys: cases.ApiClient, authenticated by core.api.ApiKey)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    WINDOW_STAFF = "window_staff", _("窗口工作人员")
    DEPT_MANAGER = "dept_manager", _("部门负责人")
    SUPERVISOR = "supervisor", _("监察中心督查员")
    CENTRE_ADMIN = "centre_admin", _("监察中心管理员")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")


PUBLIC = "public"
# Roles whose scope is a region subtree (a supervision centre's jurisdiction); the others are
# scoped to a department (and window staff further to their own window where the data has one).
CENTRE_ROLES = {Role.SUPERVISOR, Role.CENTRE_ADMIN}
# Roles that may see applicants' and complainants' identities unmasked (each view is logged).
UNMASK_ROLES = {Role.SUPERVISOR, Role.CENTRE_ADMIN, Role.SYSTEM_ADMIN}
