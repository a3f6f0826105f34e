"""Complaints' time-based work, registered with core.ticks in apps.py (the tick "complaints.overdue"):
alerts for complaints and consultations past their limits, and complaints fed back long ago closed as
"no reply"."""
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from alerts.actions import AlertSpec, sync_alerts
from alerts.notify import notify
from alerts.subjects import existing_alerts
from core.claims import claim
from orgs.lookup import centre_staff
from workdays.models import load_calendar
from workdays.zone import local_date

from . import rules
from .actions import CONSULT_SUBJECT, SUBJECT, do_rate_complaint
from .models import Complaint, ConsultStatus, Consultation, Extension, Satisfaction, Status

def overdue_specs(complaints, today, now):
    specs = []
    for c in complaints:
        found = rules.complaint_overdue(c.status, today, c.register_due, c.due, c.extension == Extension.APPROVED)
        if found:
            # the alert names the handling department only, never the department merely complained about
            specs.append(AlertSpec(SUBJECT, c.number, found.rule, "", found.level, now, found.detail,
                                   c.assignee_id, c.region_id, c.centre_id))
    return specs


def raise_overdue_alerts(now):
    """Tick: an alert for each complaint and consultation past its limit (once; sync_alerts never repeats).
    The overdue rows are claimed (core.claims) and their alerts read after the claim, in the transaction
    that raises the new ones and notifies: a second worker skips them, or sees the alerts committed."""
    today = local_date(now)
    with transaction.atomic():
        complaints = list(claim(Complaint.objects.filter(status=Status.SUBMITTED, register_due__lt=today))) + list(
            claim(Complaint.objects.filter(status__in=rules.RUNNING, due__lt=today)))
        specs = overdue_specs(complaints, today, now)
        for q in claim(Consultation.objects.filter(status=ConsultStatus.SUBMITTED, due__lt=today)):
            specs.append(AlertSpec(CONSULT_SUBJECT, q.number, "CONSULTATION_OVERDUE", "", "yellow", now,
                                   f"答复期限 {q.due} 已过", q.department_id, q.region_id, q.centre_id))
        keys = {s.subject_key for s in specs}
        existing = existing_alerts((SUBJECT, CONSULT_SUBJECT), keys)
        new = sync_alerts(specs, existing)
        for alert in new:
            notify(centre_staff(alert.centre_id), _("投诉咨询超期：%(k)s") % {"k": alert.subject_key}, alert.detail,
                   reverse("supervision:alerts"))
    return len(new)


def close_unrated(now):
    """Tick: complaints fed back long ago without a reply are closed as 'no reply'. Each is claimed
    (core.claims) and must still be fed back under the claim: another worker or the complainant may
    have closed it since it was read."""
    today = local_date(now)
    due = [pk for pk, fed_back_at in Complaint.objects.filter(status=Status.FED_BACK, fed_back_at__isnull=False)
           .values_list("pk", "fed_back_at")
           if load_calendar().wd_between(local_date(fed_back_at), today) > rules.SATISFACTION_WAIT_DAYS]
    done = 0
    for pk in due:
        with transaction.atomic():
            c = claim(Complaint.objects.filter(pk=pk, status=Status.FED_BACK)).first()
            if c is not None:
                do_rate_complaint(c, satisfaction=Satisfaction.NO_REPLY, actor="complaints.close_unrated",
                                  note=_("投诉人逾期未评价"), now=now)
                done += 1
    return done


def tick(now):
    return raise_overdue_alerts(now) + close_unrated(now)
