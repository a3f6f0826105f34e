"""Log-in throttling, for every log-in form (the staff form, the admin's, any form that calls
django.contrib.auth.authenticate with the request), by one mechanism: django-axes, made atomic here.

Axes checks "is this account or address locked?" before the password and records the failure after it,
in separate statements: forty wrong passwords sent at once all passed the check before any failure was
written. `ThrottledModelBackend` holds a lock per account and per client address (PostgreSQL advisory
locks; on SQLite the database write lock, which IMMEDIATE transactions take at BEGIN) from the check to
the recorded failure, so at most LOGIN_MAX_FAILURES passwords of one account are ever checked within
the lock window. A success forgets that account's failures. Rules: docs/security.md.
"""
import ipaddress
from contextlib import contextmanager

from axes.backends import AxesBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_credentials
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.shortcuts import render
from django.db import connection, transaction
from django.db.models import Sum
from axes.attempts import get_cool_off_threshold
from axes.models import AccessAttempt

RECORDED = "cw_login_failure_recorded"  # request attribute: this failure is already counted


def client_ip(request):
    """The client's address: from settings.TRUSTED_PROXY_HEADER when a reverse proxy sets it (the
    right-most entry, the one our proxy wrote; a client can only prepend to it), else REMOTE_ADDR.
    Configure the header only when every request passes through that proxy."""
    header = settings.TRUSTED_PROXY_HEADER
    if header:
        value = request.META.get(header, "").split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR")


@contextmanager
def serialised(username, ip):
    """One transaction holding the locks of this account and this address (in a fixed order)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for key in sorted({f"login-user:{username}", f"login-ip:{ip}"}):
                    cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])
        yield


class ThrottledModelBackend(AxesBackend):
    """ModelBackend behind axes' lock-out check, with the check, the password and the recorded failure
    inside one lock. The only authentication backend (settings.AUTHENTICATION_BACKENDS)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.AXES_ENABLED:
            return ModelBackend.authenticate(self, request, username=username, password=password, **kwargs)
        if request is None:  # axes needs the request: refuse rather than check a password unthrottled
            return super().authenticate(request, username=username, password=password, **kwargs)
        credentials = get_credentials(username=username, password=password, **kwargs)
        AxesProxyHandler.update_request(request)
        with serialised(username, request.axes_ip_address):
            super().authenticate(request, username=username, password=password, **kwargs)  # raises if locked
            user = ModelBackend.authenticate(self, request, username=username, password=password, **kwargs)
            if user is None:
                AxesProxyHandler.user_login_failed(sender=type(self), credentials=credentials, request=request)
                setattr(request, RECORDED, True)
            return user


class ThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler with this project's rules: a failure the backend already counted inside its
    lock is not counted again by the user_login_failed signal; an address is locked after
    LOGIN_MAX_FAILURES_PER_ADDRESS failures (many people share an office's address), an account after
    LOGIN_MAX_FAILURES; a success forgets the failures of that account only (not of the address)."""

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        if request is not None and getattr(request, RECORDED, False):
            return None
        return super().user_login_failed(sender, credentials, request, **kwargs)

    def get_failures(self, request, credentials=None):
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        by_account = recent.filter(username=get_client_username(request, credentials)).aggregate(
            n=Sum("failures_since_start"))["n"] or 0
        by_address = recent.filter(ip_address=request.axes_ip_address).aggregate(
            n=Sum("failures_since_start"))["n"] or 0
        limit = settings.LOGIN_MAX_FAILURES
        # axes compares the result with LOGIN_MAX_FAILURES: scale the address count to that limit
        return max(by_account, by_address * limit // settings.LOGIN_MAX_FAILURES_PER_ADDRESS)

    def reset_user_attempts(self, request, credentials=None):
        count, _ = AccessAttempt.objects.filter(username=get_client_username(request, credentials)).delete()
        return count


def locked_out(request, original_response=None, credentials=None):
    """The lock-out page (settings.AXES_LOCKOUT_CALLABLE), in the site's frame, 429."""
    return render(request, "core/locked_out.html", {"lock_minutes": settings.LOGIN_LOCK_MINUTES}, status=429)
