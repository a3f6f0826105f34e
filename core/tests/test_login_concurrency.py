"""Forty wrong passwords for one account sent at once, on PostgreSQL, each request on its own thread and
database connection: the lock-out check and the recorded failure are one step, so no more than
LOGIN_MAX_FAILURES passwords are checked before the account is locked."""
import threading

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import reverse

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent log-ins: PostgreSQL only"),
]
CHECKED = []  # one entry per password Django's hasher verified


class CountingHasher(MD5PasswordHasher):
    """Django's MD5 hasher (the suite's fast one) that notes each verification."""

    algorithm = "md5"

    def verify(self, password, encoded):
        CHECKED.append(password)
        return super().verify(password, encoded)


def test_it_checks_at_most_the_limit_of_forty_concurrent_wrong_passwords(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    User.objects.create_user("zhang", password="right-pass-9")
    CHECKED.clear()
    start, statuses = threading.Barrier(40), []

    def wrong_password():
        try:
            start.wait(10)
            statuses.append(Client().post(reverse("login"), {"username": "zhang", "password": "wrong"}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=wrong_password) for _ in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(statuses) == 40
    assert len(CHECKED) <= settings.LOGIN_MAX_FAILURES
    assert statuses.count(429) >= 40 - settings.LOGIN_MAX_FAILURES + 1  # the rest were refused unchecked
    CHECKED.clear()
    client = Client()
    locked = client.post(reverse("login"), {"username": "zhang", "password": "right-pass-9"})
    assert locked.status_code == 429 and "_auth_user_id" not in client.session and CHECKED == []
