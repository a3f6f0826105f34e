"""Throttling of repeated failed log-ins, by user name and by address."""
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import LoginFailure


def client_ip(request):
    return request.META.get("REMOTE_ADDR")


def is_locked(username, ip):
    since = timezone.now() - timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
    recent = LoginFailure.objects.filter(at__gte=since)
    return (
        recent.filter(username=username).count() >= settings.LOGIN_MAX_FAILURES
        or (ip and recent.filter(ip=ip).count() >= settings.LOGIN_MAX_FAILURES * 4)
    )


def note_failure(username, ip):
    LoginFailure.objects.create(username=username[:150], ip=ip)


def clear_failures(username):
    LoginFailure.objects.filter(Q(username=username)).delete()
