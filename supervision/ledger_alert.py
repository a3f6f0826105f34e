"""A failed verify_ledger raises a red alert to the League centre (docs/ledger.md)."""
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from alerts.actions import AlertSpec, sync_alerts
from alerts.models import Level
from orgs.models import Centre, RegionLevel

SUBJECT, RULE = "ledger", "LEDGER_DIVERGENCE"


def on_ledger_checked(sender, check, found, **kwargs):
    """Receiver of ledger.verify.checked: one red alert per failed run, to the League centre."""
    if check.ok:
        return
    centre = Centre.objects.filter(region__level=RegionLevel.LEAGUE).order_by("pk").first()
    if centre is None:
        return
    with translation.override(settings.LANGUAGE_CODE):  # stored: in the site's language, whoever ran the check
        detail = _("监察账本核验发现 %(n)d 处不一致（%(at)s），记录可能被绕过系统改动，请立即核查") % {
            "n": check.divergences, "at": f"{check.at:%Y-%m-%d %H:%M} UTC"}
    sync_alerts([AlertSpec(subject_type=SUBJECT, subject_key=f"check-{check.pk}", rule=RULE, step="",
                           level=Level.RED, raised_at=check.at, detail=detail, department_id=None,
                           region_id=centre.region_id, centre_id=centre.pk)], {})
