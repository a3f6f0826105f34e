"""The power list (权力清单): items and their versions.

An Item is the stable identity (code, department); everything a guide publishes and every limit
the clock uses lives on an ItemVersion, immutable once a case may have used it. Editing an item
makes a new version effective from a date; a case keeps the version in force on its receipt date.
Steps, fees and materials are part of the version (JSON lists validated by catalog.schema), so a
version is one self-contained snapshot.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from orgs.models import Department


class ItemKind(models.TextChoices):
    LICENSING = "licensing", _("行政许可")
    PENALTY = "penalty", _("行政处罚")
    ENFORCEMENT = "enforcement", _("行政强制")
    LEVY = "levy", _("行政征收")
    PAYMENT = "payment", _("行政给付")
    INSPECTION = "inspection", _("行政检查")
    CONFIRMATION = "confirmation", _("行政确认")
    AWARD = "award", _("行政奖励")
    RULING = "ruling", _("行政裁决")
    OTHER = "other", _("其他行政权力")
    PUBLIC_SERVICE = "public_service", _("公共服务")


class Item(models.Model):
    code = models.CharField(_("事项编码"), max_length=40, unique=True)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="items", verbose_name=_("部门"))
    published = models.BooleanField(_("公开"), default=True)

    scope_paths = {"region": "department__region", "department": "department"}

    class Meta:
        ordering = ["code"]
        verbose_name = _("事项")
        verbose_name_plural = pgettext_lazy("plural", "事项")

    def __str__(self):
        v = self.current_version()
        return f"{self.code} {v.name if v else ''}"

    def version_on(self, day):
        """The version in force on `day` (a date), or None if the item did not exist yet."""
        return self.versions.filter(effective_from__lte=day).order_by("-effective_from", "-number").first()

    def current_version(self):
        return self.versions.order_by("-effective_from", "-number").first()


class ItemVersion(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="versions", verbose_name=_("事项"))
    number = models.PositiveIntegerField(_("版本号"))
    effective_from = models.DateField(_("生效日期"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    name = models.CharField(_("事项名称"), max_length=200)
    kind = models.CharField(_("事项类型"), max_length=20, choices=ItemKind.choices)
    legal_basis = models.TextField(_("设立依据"))
    legal_limit_days = models.PositiveSmallIntegerField(_("法定时限（工作日）"))
    promised_limit_days = models.PositiveSmallIntegerField(_("承诺时限（工作日）"))
    warn_days = models.PositiveSmallIntegerField(_("预警提前天数"), default=2)
    max_extension_days = models.PositiveSmallIntegerField(_("最长延期（工作日）"), default=10)
    # [{code, name, limit_days, responsible, duties, required}]
    steps = models.JSONField(_("办理环节"), default=list)
    # [{code, name, max_amount (decimal string, yuan), basis}]
    fees = models.JSONField(_("收费标准"), default=list)
    # True: the item is stated to be free of charge (不收费); then `fees` is empty.
    free = models.BooleanField(_("不收费"), default=False)
    # [{name, copies, required}]
    materials = models.JSONField(_("申请材料"), default=list)
    process = models.TextField(_("办理流程"), blank=True)
    result = models.CharField(_("办理结果"), max_length=200, blank=True)
    location = models.CharField(_("办理地点"), max_length=200, blank=True)
    consult_phone = models.CharField(_("咨询电话"), max_length=40, blank=True)
    complaint_phone = models.CharField(_("投诉电话"), max_length=40, blank=True)
    # What the public guide search reads besides the name: the materials, the result and the legal basis,
    # one per line (derived from the content when the version is made; JSON columns cannot be searched
    # alike on SQLite and PostgreSQL). Not content: see search_text_of.
    search_text = models.TextField(_("检索文本"), blank=True, editable=False)

    scope_paths = {"region": "item__department__region", "department": "item__department"}

    class Meta:
        ordering = ["item", "-effective_from", "-number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="item_version_number")]
        verbose_name = _("事项版本")
        verbose_name_plural = pgettext_lazy("plural", "事项版本")

    def __str__(self):
        return f"{self.item.code} v{self.number} ({self.effective_from})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("an ItemVersion is immutable: make a new one with catalog.actions.do_edit_item")
        self.search_text = search_text_of(self)
        super().save(*args, **kwargs)

    def content(self):
        """What this version says, as the catalog file writes it (without code, department, date)."""
        return {name: getattr(self, name) for name in CONTENT_FIELDS}


# The fields of a version that make up its content: a change to any of them is a new version.
CONTENT_FIELDS = (
    "name", "kind", "legal_basis", "legal_limit_days", "promised_limit_days", "warn_days",
    "max_extension_days", "steps", "fees", "free", "materials", "process", "result", "location",
    "consult_phone", "complaint_phone",
)


def search_text_of(version):
    """The text the guide search matches besides name and code (docs/catalog.md, "Guide search").
    Call it on versions made with bulk_create, which skips save()."""
    materials = [m.get("name", "") for m in version.materials or [] if isinstance(m, dict)]
    return "\n".join(filter(None, [*materials, version.result, version.legal_basis]))


def versions_in_force(item_codes, day):
    """{item code: the ItemVersion in force on `day`} for the given codes, in one query.
    Codes with no version in force on that day are absent."""
    found = {}
    rows = (ItemVersion.objects.filter(item__code__in=list(item_codes), effective_from__lte=day)
            .select_related("item").order_by("item_id", "-effective_from", "-number"))
    for version in rows:
        found.setdefault(version.item.code, version)
    return found
