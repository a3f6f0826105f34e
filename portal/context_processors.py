"""What every page's frame needs: the deployment's region name (for the system's title) and the
navigation, which links only pages that exist (a URL name that does not resolve is left out)."""
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, gettext_lazy as _

from orgs.models import Region

from . import guides

# (URL name, label). Apps that add a public page name it as below to appear in the header.
PUBLIC_NAV = [
    ("portal:item_list", _("办事指南")),
    ("portal:track", _("进度查询")),
    ("complaints:public_new", _("投诉咨询")),
    ("evaluations:public_new", _("评价")),
    ("evaluations:public_stats", _("满意度")),
    ("performance:public", _("绩效公示")),
]
# The back office's side menu; shown to logged-in users, each page still checks access itself.
OFFICE_NAV = [
    ("home", _("工作台")),
    ("cases:workbench", _("办件")),
    ("supervision:centre", _("监察中心")),
    ("supervision:alerts", _("预警")),
    ("supervision:urges", _("督办")),
    ("complaints:office", _("投诉咨询")),
    ("evaluations:office", _("评价管理")),
    ("video:wall", _("视频监控")),
    ("performance:office", _("绩效考核")),
    ("accountability:office", _("问责")),
]


def _links(candidates):
    links = []
    for name, label in candidates:
        try:
            links.append({"name": name, "url": reverse(name), "label": label})
        except NoReverseMatch:
            continue
    return links


def _centre_of(root):
    try:
        return root.centre
    except ObjectDoesNotExist:
        return None


def region_name(root):
    """The deployment's region as the product name shows it: its English name (settings.REGION_NAME_EN)
    on English pages, so no English title carries Chinese; the region's own name otherwise."""
    if settings.REGION_NAME_EN and not (get_language() or "").startswith("zh"):
        return settings.REGION_NAME_EN
    return root.name


def site(request):
    path = getattr(request, "path", "")
    public = _links(PUBLIC_NAV)
    office = _links(OFFICE_NAV)
    for link in public + office:
        link["active"] = path.startswith(link["url"]) and link["url"] != "/"
    root = SimpleLazyObject(lambda: guides.top_region(with_centre=True) or Region(name=""))
    return {
        "cw_region_name": SimpleLazyObject(lambda: region_name(root)),
        "cw_centre": SimpleLazyObject(lambda: _centre_of(root)),
        "cw_public_nav": public,
        "cw_office_nav": office,
    }
