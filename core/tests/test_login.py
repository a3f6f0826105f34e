"""Log-in page, throttling of repeated failures (every log-in form, one mechanism), and the cookie
settings that protect a session."""
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse

pytestmark = pytest.mark.django_db
LOGIN = reverse("login")
LOCKED = "登录失败次数过多，请稍后再试。"


@pytest.fixture
def clerk(db):
    return User.objects.create_user("zhang", password="right-pass-9")


def attempt(client, password, username="zhang"):
    return client.post(LOGIN, {"username": username, "password": password})


def test_it_shows_a_styled_log_in_form(client):
    html = client.get(LOGIN).content.decode()
    assert "工作人员登录" in html and 'name="username"' in html and 'type="password"' in html
    assert "csrfmiddlewaretoken" in html


def test_it_logs_in_with_the_right_password(client, clerk):
    response = attempt(client, "right-pass-9")
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_it_refuses_a_wrong_password_without_locking_at_first(client, clerk):
    response = attempt(client, "wrong")
    assert response.status_code == 200 and LOCKED not in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_locks_the_user_name_after_five_failures(client, clerk):
    assert settings.LOGIN_MAX_FAILURES == 5
    for _ in range(4):
        attempt(client, "wrong")
    fifth = attempt(client, "wrong")
    assert fifth.status_code == 429 and LOCKED in fifth.content.decode()
    response = attempt(client, "right-pass-9")
    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKED in html and "15 分钟" in html and "工作人员登录" in html  # the site's own frame
    assert "_auth_user_id" not in client.session


def test_it_shows_the_lock_out_page_in_english(client, clerk):
    client.cookies["django_language"] = "en"
    for _ in range(5):
        attempt(client, "wrong")
    html = attempt(client, "right-pass-9").content.decode()
    assert "Too many failed log-in attempts" in html and "15 minutes" in html and "登录失败" not in html


def test_it_throttles_the_admin_log_in_as_well(client, clerk):
    clerk.is_staff = clerk.is_superuser = True
    clerk.save()
    admin_login = reverse("admin:login")
    for _ in range(30):
        client.post(admin_login, {"username": "zhang", "password": "wrong"})
    response = client.post(admin_login, {"username": "zhang", "password": "right-pass-9", "next": "/admin/"})
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session
    # and the staff form honours the same lock: one mechanism
    assert attempt(client, "right-pass-9").status_code == 429


def test_it_keys_the_address_by_the_trusted_proxy_header(client, clerk, settings):
    """Behind a reverse proxy every request comes from the proxy's address: the client's address is the
    one the proxy wrote (the right-most entry of the header), so one address cannot lock everyone out."""
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    User.objects.create_user("li", password="li-pass-123")
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for n in range(settings.LOGIN_MAX_FAILURES_PER_ADDRESS):  # password spraying from one address
        client.post(LOGIN, {"username": f"user{n}", "password": "x"}, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    spoofed = client.post(LOGIN, {"username": "li", "password": "li-pass-123"},
                          HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7", **proxy)
    assert spoofed.status_code == 429  # a prepended address does not escape the lock
    other = client.__class__()
    ok = other.post(LOGIN, {"username": "li", "password": "li-pass-123"}, HTTP_X_FORWARDED_FOR="198.51.100.1",
                    **proxy)
    assert ok.status_code == 302 and "_auth_user_id" in other.session


def test_it_locks_the_name_not_other_users(client, clerk):
    User.objects.create_user("li", password="li-pass-123")
    for _ in range(5):
        attempt(client, "wrong")
    assert attempt(client, "li-pass-123", username="li").status_code == 302


def test_it_forgets_failures_after_a_success(client, clerk):
    for _ in range(4):
        attempt(client, "wrong")
    assert attempt(client, "right-pass-9").status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        attempt(client, "wrong")
    assert attempt(client, "right-pass-9").status_code == 302


def test_it_sets_the_cookies_as_the_settings_say(client, clerk):
    client.get(LOGIN)
    csrf = client.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["samesite"] == settings.CSRF_COOKIE_SAMESITE == "Lax"
    assert bool(csrf["secure"]) == settings.CSRF_COOKIE_SECURE
    attempt(client, "right-pass-9")
    session = client.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] and settings.SESSION_COOKIE_HTTPONLY
    assert session["samesite"] == settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert bool(session["secure"]) == settings.SESSION_COOKIE_SECURE
    # SESSION_EXPIRE_AT_BROWSER_CLOSE: a browser-session cookie, no max-age
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and not session["max-age"]


def test_it_marks_cookies_secure_over_https(client, clerk, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    client.get(LOGIN)
    assert client.cookies[settings.CSRF_COOKIE_NAME]["secure"]
    attempt(client, "right-pass-9")
    assert client.cookies[settings.SESSION_COOKIE_NAME]["secure"]
