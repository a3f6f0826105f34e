"""Every subject an app raises alerts on is registered with alerts.subjects: a name and the page that
shows it, so the alert list and the centre's feed link an alert whatever its subject."""
from django.urls import resolve

from alerts.models import Alert
from alerts.subjects import registered_subjects, subject_label, subject_url
from supervision.dashboard import alert_link

SUBJECTS = {"case", "complaint", "consultation", "rating", "camera", "accountability"}


def test_it_knows_every_subject_the_apps_raise_alerts_on():
    assert SUBJECTS <= set(registered_subjects())
    assert all(str(subject_label(t)) for t in SUBJECTS)


def test_it_links_an_alert_of_every_subject_to_a_page_that_exists():
    for subject_type in SUBJECTS:
        url = subject_url(Alert(subject_type=subject_type, subject_key="X-2026-0001", rule="ANY"))
        assert url.startswith("/"), subject_type
        resolve(url)  # a page, not a 404


def test_it_links_a_bad_rating_to_the_rating_and_a_signal_to_the_signals():
    overdue = Alert(subject_type="rating", subject_key="PJ20260501001", rule="RECTIFY_OVERDUE")
    burst = Alert(subject_type="rating", subject_key="DEV-1@2026-05-01", rule="RATING_BURST_DEVICE")
    assert resolve(subject_url(overdue)).url_name == "rating"
    assert resolve(subject_url(burst)).url_name == "signals"


def test_it_links_from_the_centre_a_case_to_the_centre_case_page_and_a_complaint_to_the_complaint():
    case = Alert(subject_type="case", subject_key="C1", rule="OVERDUE")
    complaint = Alert(subject_type="complaint", subject_key="TS20260501001", rule="COMPLAINT_OVERDUE")
    assert resolve(alert_link(case)).view_name == "supervision:case"
    assert resolve(alert_link(complaint)).view_name == "complaints:detail"
