"""Test clients: a fresh django.test.Client logged in as a user (for tests that need several people's
sessions side by side)."""
from django.test import Client


def login(user):
    client = Client()
    client.force_login(user)
    return client
