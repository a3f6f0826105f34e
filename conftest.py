"""Suite-wide test settings: the fast password hasher, mail kept in memory unless a test sends
through the real local SMTP server, and Chromium for browser tests."""
import pytest


@pytest.fixture(autouse=True)
def _fast_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
