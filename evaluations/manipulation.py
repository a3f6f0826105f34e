"""Manipulation signals: bursts of ratings from one device or one phone, staff rating their own service,
a device rating without a matching service again and again. Each flags what it found and raises a
notice (or a yellow alert) to the centre once (sync_alerts)."""
from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from alerts.actions import AlertSpec, sync_alerts
from alerts.models import Level as AlertLevel
from alerts.notify import notify
from alerts.subjects import existing_alerts
from cases.models import Case
from core.crypto import lookup_hashes
from core.masking import mask_phone
from orgs.lookup import centre_staff, centres_for
from workdays.zone import local_date

from . import rules
from .models import SUBJECT, Rating, RefusedRating

BURST_SPAN = timedelta(minutes=10)


PHONE_SPAN = timedelta(hours=24)


NO_SERVICE_LIMIT = 3  # refusals "no recent service" from one device in 10 minutes that make a signal


def _signal(rule, key, *, now, detail, department_id, region_id, level=AlertLevel.NOTICE):
    centre = centres_for({region_id}).get(region_id)
    spec = AlertSpec(subject_type=SUBJECT, subject_key=key[:64], rule=rule, step="", level=level, raised_at=now,
                     detail=detail, department_id=department_id, region_id=region_id, centre_id=centre)
    existing = existing_alerts(SUBJECT, [spec.subject_key], rule=rule)
    created = sync_alerts([spec], existing)
    if created:
        notify(centre_staff(centre), detail, "", reverse("evaluations:signals"))
    return created


def signal_bursts(rating, now, config):
    """Bursts from one device, or from one phone: flag the rating and raise a notice to the centre."""
    flags = []
    if rating.device_id:
        times = list(Rating.objects.filter(device_id=rating.device_id, rated_at__gte=now - BURST_SPAN)
                     .values_list("rated_at", flat=True))
        if rules.burst(times, limit=config.burst_limit, within=BURST_SPAN):
            flags.append("burst_device")
            _signal("RATING_BURST_DEVICE", f"{rating.device.code}@{local_date(now)}", now=now,
                    detail=_("评价器 %(d)s 10 分钟内评价超过 %(n)d 次，疑似刷评") % {"d": rating.device.code,
                                                                          "n": config.burst_limit},
                    department_id=rating.department_id, region_id=rating.region_id)
    if rating.rater_phone_hash:
        times = list(Rating.objects.filter(rater_phone_hash__in=lookup_hashes(rating.rater_phone, "phone"),
                                           rated_at__gte=now - PHONE_SPAN)
                     .values_list("rated_at", flat=True))
        if rules.burst(times, limit=config.phone_burst_limit, within=PHONE_SPAN):
            flags.append("burst_phone")
            _signal("RATING_BURST_PHONE", f"{mask_phone(rating.rater_phone)}@{local_date(now)}", now=now,
                    detail=_("手机号 %(p)s 24 小时内评价超过 %(n)d 次，疑似刷评") % {
                        "p": mask_phone(rating.rater_phone), "n": config.phone_burst_limit},
                    department_id=rating.department_id, region_id=rating.region_id)
    if flags:
        rating.flags = sorted(set(rating.flags) | set(flags))
        rating.save(update_fields=["flags"])


def signal_refusal(reason, case_no, device, now, config):
    """Refusals that point to manipulation: staff rating their own service; a device rating with no
    matching service again and again."""
    if reason == "own_service":
        case = Case.objects.filter(case_no=case_no).first()
        if case and case.region_id:
            _signal("RATING_OWN_SERVICE", f"{case_no}", now=now, level=AlertLevel.YELLOW,
                    detail=_("办件 %(no)s：工作人员试图评价本人办理的业务") % {"no": case_no},
                    department_id=case.department_id, region_id=case.region_id)
    if reason in ("no_service", "foreign_case") and device is not None:
        count = RefusedRating.objects.filter(device=device, reason__in=("no_service", "foreign_case"),
                                             at__gte=now - BURST_SPAN).count()
        if count >= NO_SERVICE_LIMIT:
            window = device.window
            _signal("RATING_NO_SERVICE", f"{device.code}@{local_date(now)}", now=now,
                    detail=_("评价器 %(d)s 多次提交没有对应办件的评价") % {"d": device.code},
                    department_id=window.department_id, region_id=window.hall.region_id)
