"""Browsers ask every site for /favicon.ico: it answers with an icon, and pages link one."""
from django.contrib.staticfiles import finders


def test_it_serves_favicon_ico_to_anyone(client, db):
    reply = client.get("/favicon.ico")
    assert reply.status_code == 200 and reply["Content-Type"] == "image/x-icon"
    assert b"".join(reply.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert "max-age=86400" in reply["Cache-Control"]


def test_pages_link_an_icon_that_exists(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert 'rel="icon" href="/static/cw/favicon.svg"' in page and 'href="/favicon.ico"' in page
    assert finders.find("cw/favicon.svg")
