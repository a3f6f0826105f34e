"""Video monitoring points (监控点位). A camera belongs to a hall and may face some of its windows;
its stream address is a secret (never shown in pages or exports, only used by the recorder)."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from orgs.models import Hall, Window


class Camera(models.Model):
    code = models.CharField(_("点位编码"), max_length=30, unique=True)
    name = models.CharField(_("点位名称"), max_length=100)
    hall = models.ForeignKey(Hall, on_delete=models.PROTECT, related_name="cameras")
    windows = models.ManyToManyField(Window, blank=True, related_name="cameras", verbose_name=_("监控窗口"))
    stream_url = models.CharField(_("视频流地址"), max_length=500, help_text=_("保密：仅录像服务使用"))
    retention_days = models.PositiveSmallIntegerField(_("录像保存天数"), default=30)
    active = models.BooleanField(_("启用"), default=True)

    # Video supervision is a centre function: centre roles see their region's cameras; department
    # and window roles see none (their observations reach them through the observation records).
    scope_paths = {"region": "hall__region"}

    class Meta:
        ordering = ["hall__code", "code"]
        verbose_name = _("监控点位")
        verbose_name_plural = _("监控点位")

    def __str__(self):
        return self.name
