"""What every page's frame needs: the deployment's region name (for the system's title) and the
navigation, which links only pages that exist (a URL name that does not resolve is left out)."""
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, gettext_lazy as _, pgettext_lazy

from accountability.access import may_open_office as may_open_accountability
from cases.access import can_read as can_read_cases
from complaints.access import may_open_office as may_open_complaints
from core.access import is_centre_user, is_office
from orgs.models import Region

from . import guides

# (URL name, label). Apps that add a public page name it as below to appear in the header.
PUBLIC_NAV = [
    ("portal:item_list", _("办事指南")),
    ("portal:track", _("进度查询")),
    ("complaints:public_new", _("投诉咨询")),
    ("evaluations:public_new", pgettext_lazy("menu", "评价")),
    ("evaluations:public_stats", _("满意度")),
    ("performance:public", _("绩效公示")),
]

def _anyone(user):
    return True


def _not_centre(user):
    return is_office(user) and not is_centre_user(user)


# The back office's side menu: (URL name, label, who may open it). The predicate is the very check the
# page's view makes first (core.access.require), so the menu offers exactly what answers 200.
OFFICE_NAV = [
    ("home", _("工作台"), _anyone),
    ("cases:workbench", pgettext_lazy("plural", "办件"), can_read_cases),
    ("supervision:centre", _("监察中心"), is_centre_user),
    ("supervision:alerts", pgettext_lazy("menu", "预警"), is_office),  # the page; the level 预警 reads "Notice"
    ("insight:likely", _("可能超期"), is_office),
    ("insight:time", _("时间去向"), is_office),
    ("supervision:urges", _("督办"), is_office),
    ("complaints:office", _("投诉咨询"), may_open_complaints),
    ("evaluations:office", _("评价管理"), is_office),
    ("video:wall", _("视频监控"), is_centre_user),
    ("video:observations", pgettext_lazy("plural", "巡查发现"), _not_centre),  # the wall sends departments here
    ("performance:office", _("绩效考核"), is_office),
    ("accountability:office", _("问责"), may_open_accountability),
]


def _links(candidates, user=None):
    links = []
    for name, label, *allowed in candidates:
        if allowed and not allowed[0](user):
            continue
        links.append({"name": name, "url": reverse(name), "label": label})
    return links


def office_links(user):
    """The back-office menu of `user`: only pages they may open."""
    if not getattr(user, "is_authenticated", False):
        return []
    return _links(OFFICE_NAV, user)


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
    office = office_links(getattr(request, "user", None))
    for links in (public, office):  # the link whose page holds this one, the longest when two do
        within = [link for link in links if path.startswith(link["url"]) and link["url"] != "/"]
        current = max(within, key=lambda link: len(link["url"]), default=None)
        for link in links:   # (/evaluations/satisfaction/ is not also under 评价's /evaluations/)
            link["active"] = link is current
    root = SimpleLazyObject(lambda: guides.top_region(with_centre=True) or Region(name=""))
    return {
        "cw_region_name": SimpleLazyObject(lambda: region_name(root)),
        "cw_centre": SimpleLazyObject(lambda: _centre_of(root)),
        "cw_public_nav": public,
        "cw_office_nav": office,
    }
