"""Suite-wide test settings: the fast password hasher, mail kept in memory unless a test sends
through the real local SMTP server, Chromium for browser tests, and each test starting in the site's
default language (a request in English leaves English active in its thread: a later test in the same
worker would otherwise write its notifications in English). The shared fixtures (org, items,
api_client, people, world, cast…) have one home: clearwindow/testing/fixtures.py."""
import pytest
from django.utils import translation

pytest_plugins = ["clearwindow.testing.fixtures"]


@pytest.fixture(autouse=True)
def _fast_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
