"""Public intake safety with no outside service: uploads judged by their bytes, a per-address rate
limit, a honeypot field and a signed time token (a form sent back too fast is a robot)."""
import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

from core import uploads
from core.auth import client_ip

from .models import IntakeHit

MAX_FILES = uploads.MAX_FILES
HONEYPOT = "website"  # a field people never see; robots fill it in
TOKEN_SALT = "complaints.form-token"


def max_file_bytes():
    return getattr(settings, "COMPLAINTS_MAX_FILE_BYTES", uploads.max_file_bytes())


def min_form_seconds():
    return getattr(settings, "COMPLAINTS_MIN_FORM_SECONDS", 3)


def check_files(uploaded):
    """[(original name, content type, extension, bytes)] for good files; ValueError naming the bad one
    (the checks are core.uploads', with the complaint form's limits)."""
    return uploads.check_files(uploaded, max_files=MAX_FILES, max_bytes=max_file_bytes())


def new_token(now=None):
    return signing.dumps((now or timezone.now()).timestamp(), salt=TOKEN_SALT)


def token_problem(token, now=None):
    """None if the form's time token is fine, else the message to show."""
    now = now or timezone.now()
    try:
        issued = signing.loads(token or "", salt=TOKEN_SALT, max_age=2 * 3600)
    except signing.SignatureExpired:
        return _("页面已打开太久，请再次提交（内容已保留）")
    except signing.BadSignature:
        return _("表单已失效，请再次提交（内容已保留）")
    if now.timestamp() - float(issued) < min_form_seconds():
        return _("提交过快，请稍候几秒再提交（内容已保留）")
    return None


def _key(request, kind):
    address = client_ip(request) or ""
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:40]
    return f"{kind}:{digest}"


LIMITS = {"submit": (5, 60), "lookup": (20, 10)}  # kind -> (requests, per minutes)


def over_limit(request, kind, now=None):
    """Count this request from its address and say whether it goes over the limit."""
    now = now or timezone.now()
    count, minutes = getattr(settings, "COMPLAINTS_RATE_LIMITS", LIMITS)[kind]
    key = _key(request, kind)
    recent = IntakeHit.objects.filter(key=key, at__gte=now - timedelta(minutes=minutes)).count()
    if recent >= count:
        return True
    IntakeHit.objects.create(key=key, at=now)
    IntakeHit.objects.filter(at__lt=now - timedelta(days=1)).delete()
    return False
