"""The organisations: regions (GB/T 2260), supervision centres, halls, departments, windows, staff."""
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from core.access import Scope
from core.roles import CENTRE_ROLES, Role


class RegionLevel(models.TextChoices):
    LEAGUE = "league", _("盟（市）")
    COUNTY = "county", _("旗县市区")
    TOWNSHIP = "township", _("苏木乡镇")
    COMMUNITY = "community", _("嘎查社区")


class Region(models.Model):
    """A node of the administrative tree. `path` is the chain of codes from the root, each followed
    by '/', e.g. '152500/152502/'; a subtree is every region whose path starts with its root's."""

    code = models.CharField(_("区划代码"), max_length=12, primary_key=True)
    name = models.CharField(_("名称"), max_length=60)
    level = models.CharField(_("层级"), max_length=12, choices=RegionLevel.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name=_("上级区划"))
    path = models.CharField(_("区划路径"), max_length=255, db_index=True, editable=False)

    scope_paths = {"region": ""}

    class Meta:
        ordering = ["path"]
        verbose_name = _("行政区划")
        verbose_name_plural = pgettext_lazy("plural", "行政区划")

    def __str__(self):
        return self.name

    def clean(self):
        node = self.parent
        while node is not None:
            if node.code == self.code:
                raise ValidationError({"parent": _("区划 %(code)s 的上级形成循环") % {"code": self.code}})
            node = node.parent

    def save(self, *args, **kwargs):
        self.path = (self.parent.path if self.parent_id else "") + self.code + "/"
        super().save(*args, **kwargs)

    def ancestors(self):
        codes = self.path.strip("/").split("/")[:-1]
        return sorted(Region.objects.filter(code__in=codes), key=lambda r: len(r.path))

    def subtree(self):
        return Region.objects.filter(path__startswith=self.path)


class Centre(models.Model):
    """A supervision & monitoring centre (行政效能电子监察监控中心); it sees its region's subtree."""

    code = models.CharField(_("编码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    region = models.OneToOneField(Region, on_delete=models.PROTECT, related_name="centre", verbose_name=_("行政区划"))
    phone = models.CharField(_("电话"), max_length=40, blank=True)
    email = models.EmailField(_("邮箱"), blank=True)

    scope_paths = {"region": "region"}

    class Meta:
        verbose_name = _("监察监控中心")
        verbose_name_plural = pgettext_lazy("plural", "监察监控中心")

    def __str__(self):
        return self.name

    def parent_centre(self):
        """The centre one level up (where yellow cards and urges escalate), or None."""
        for region in reversed(self.region.ancestors()):
            centre = Centre.objects.filter(region=region).first()
            if centre:
                return centre
        return None


class HallKind(models.TextChoices):
    CENTRE_HALL = "centre_hall", _("政务服务中心大厅")
    SUB_HALL = "sub_hall", _("分厅")
    TOWNSHIP_HALL = "township_hall", _("苏木乡镇便民服务大厅")
    COMMUNITY_HALL = "community_hall", _("嘎查社区便民服务站")
    PUBLIC_SERVICE = "public_service", _("公共服务单位")
    BIDDING_OFFICE = "bidding_office", _("建设工程招投标办公室")
    PROCUREMENT = "procurement", _("政府采购中心")


class Unit(models.Model):
    """A hall, a department or a window: the unique code other records and the catalogue file name it by,
    and the name it reads as."""

    code = models.CharField(_("编码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name


class Hall(Unit):
    kind = models.CharField(_("类型"), max_length=20, choices=HallKind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="halls", verbose_name=_("行政区划"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("电话"), max_length=40, blank=True)
    hours = models.CharField(_("办公时间"), max_length=100, blank=True)

    scope_paths = {"region": "region"}

    class Meta:
        ordering = ["region__path", "code"]
        verbose_name = _("服务大厅")
        verbose_name_plural = pgettext_lazy("plural", "服务大厅")


class Department(Unit):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departments", verbose_name=_("行政区划"))
    email = models.EmailField(_("邮箱"), blank=True)

    scope_paths = {"region": "region", "department": "pk"}

    class Meta:
        ordering = ["region__path", "code"]
        verbose_name = _("部门")
        verbose_name_plural = pgettext_lazy("plural", "部门")


class Window(Unit):
    hall = models.ForeignKey(Hall, on_delete=models.PROTECT, related_name="windows", verbose_name=_("服务大厅"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="windows", verbose_name=_("部门"))

    scope_paths = {"region": "hall__region", "department": "department", "window": "pk"}

    class Meta:
        ordering = ["hall__code", "code"]
        verbose_name = _("窗口")
        verbose_name_plural = pgettext_lazy("plural", "窗口")

    def __str__(self):
        return f"{self.hall.name} {self.name}"


POST_SEPARATORS = re.compile(r"[、,，;；]")


class Staff(models.Model):
    """A person the system knows: window clerk, department head, centre staff. `user` is their log-in
    (optional: a clerk named in case events may have none). The role fixes the scope: centre roles
    see `centre.region`'s subtree, department roles their `department`, window staff their `window`."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="staff", verbose_name=_("登录账号"))
    code = models.CharField(_("工号"), max_length=30, unique=True)
    name = models.CharField(_("姓名"), max_length=60)
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    centre = models.ForeignKey(Centre, null=True, blank=True, on_delete=models.PROTECT, related_name="staff",
                               verbose_name=_("监察监控中心"))
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT, related_name="staff",
                                   verbose_name=_("部门"))
    window = models.ForeignKey(Window, null=True, blank=True, on_delete=models.SET_NULL, related_name="staff",
                               verbose_name=_("窗口"))
    post = models.CharField(_("岗位"), max_length=60, blank=True)
    phone = models.CharField(_("电话"), max_length=20, blank=True)
    email = models.EmailField(_("邮箱"), blank=True)
    active = models.BooleanField(_("在岗"), default=True)

    # Department staff hang off their department's region, centre staff off their centre's.
    scope_paths = {
        "region": ("department__region", "centre__region"), "department": "department", "window": "window",
    }

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = _("工作人员")

    def __str__(self):
        return self.name

    def clean(self):
        if self.role in CENTRE_ROLES and not self.centre_id:
            raise ValidationError({"centre": _("监察中心角色必须指定所属中心")})
        if self.role in (Role.DEPT_MANAGER, Role.WINDOW_STAFF) and not self.department_id:
            raise ValidationError({"department": _("部门角色必须指定所属部门")})
        if self.role == Role.WINDOW_STAFF and not self.window_id:
            raise ValidationError({"window": _("窗口工作人员必须指定窗口")})

    def posts(self):
        """The posts (岗位) this person holds: `post` may name several, separated by 、 , ， ; or ；
        (一人多岗 in a small hall). A catalog step's `responsible` names the post that may do it."""
        return {p.strip() for p in POST_SEPARATORS.split(self.post or "") if p.strip()}

    def scope(self):
        if self.role == Role.SYSTEM_ADMIN:
            return Scope(self.role, everything=True)
        if self.role in CENTRE_ROLES and self.centre_id:
            return Scope(self.role, region_path=self.centre.region.path)
        if self.role == Role.DEPT_MANAGER and self.department_id:
            return Scope(self.role, department_ids=frozenset([self.department_id]))
        if self.role == Role.WINDOW_STAFF and self.department_id:
            windows = frozenset([self.window_id]) if self.window_id else frozenset()
            return Scope(self.role, department_ids=frozenset([self.department_id]), window_ids=windows)
        return Scope(self.role)
