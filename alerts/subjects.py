"""The subjects alerts are raised on (a case, a complaint, a rating, a camera…): each app registers its
own in AppConfig.ready() — what to call one and which page shows it — as it registers its rules'
labels (alerts.vocab) and its ticks (core.ticks). Pages link an alert through subject_url, whatever
its subject; a rule's writer loads the alerts it may already have raised through existing_alerts.
"""
from django.utils.translation import gettext_lazy as _

from .models import Alert

_labels = {}  # subject type -> lazy label
_urls = {}  # subject type -> fn(alert) -> URL of the page showing its subject, or ""


def register_subject(subject_type, label, url):
    """Register an alert subject: its label, and `url(alert)`: the page that shows the subject."""
    _labels[subject_type] = label
    _urls[subject_type] = url


def subject_label(subject_type):
    return _labels.get(subject_type, _("其他"))


def subject_url(alert):
    """The page of the subject of `alert` ("" for a subject with no page)."""
    url = _urls.get(alert.subject_type)
    return url(alert) if url else ""


def registered_subjects():
    return dict(_labels)


def existing_alerts(subject_types, keys, **filters):
    """{AlertSpec key: alert} of the alerts already raised on these subjects (one query), the
    `existing` argument of alerts.actions.sync_alerts. `filters`: further Alert field lookups."""
    if isinstance(subject_types, str):
        subject_types = (subject_types,)
    rows = Alert.objects.filter(subject_type__in=subject_types, subject_key__in=keys, **filters)
    return {(a.subject_type, a.subject_key, a.rule, a.step): a for a in rows}
