"""A failed verify_ledger raises a red alert to the League centre; the next run that verifies closes it
(docs/ledger.md). One alert per failing spell: while it is open, further failed runs add none."""
from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from alerts.actions import AlertSpec, sync_alerts
from alerts.models import Alert, AlertStatus, Level
from alerts.subjects import existing_alerts
from orgs.models import Centre, RegionLevel

SUBJECT, RULE = "ledger", "LEDGER_DIVERGENCE"


def _spec(key, check, centre, detail="", closed_at=None):
    return AlertSpec(subject_type=SUBJECT, subject_key=key, rule=RULE, step="", level=Level.RED,
                     raised_at=check.at, detail=detail, department_id=None, region_id=centre.region_id,
                     centre_id=centre.pk, closed_at=closed_at)


def on_ledger_checked(sender, check, found, **kwargs):
    """Receiver of ledger.verify.checked (the command and the worker's tick): a failed run raises a red
    alert to the League centre unless one is open already; a run that verifies closes the open one."""
    centre = Centre.objects.filter(region__level=RegionLevel.LEAGUE).order_by("pk").first()
    if centre is None:
        return
    open_keys = list(Alert.objects.filter(subject_type=SUBJECT, rule=RULE)  # open, urged or answered
                     .exclude(status__in=(AlertStatus.CLOSED, AlertStatus.WITHDRAWN))
                     .values_list("subject_key", flat=True))
    with transaction.atomic():
        if check.ok:
            if open_keys:
                sync_alerts([_spec(k, check, centre, closed_at=check.at) for k in open_keys],
                            existing_alerts(SUBJECT, open_keys))
            return
        if open_keys:
            return
        with translation.override(settings.LANGUAGE_CODE):  # stored: in the site's language, whoever ran it
            detail = _("监察账本核验发现 %(n)d 处不一致（%(at)s），记录可能被绕过系统改动，请立即核查") % {
                "n": check.divergences, "at": f"{check.at:%Y-%m-%d %H:%M} UTC"}
        sync_alerts([_spec(f"check-{check.pk}", check, centre, detail)], {})
