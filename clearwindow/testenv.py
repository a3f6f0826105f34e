"""A pytest plugin (pytest.ini: -p clearwindow.testenv), loaded before Django's settings: the tests run
with DEBUG=0, so they need a SECRET_KEY other than the public development key. bin/setup keeps one in
var/secret_key; where there is none (a checkout set up by hand), the tests use a key of their own."""
import os
import secrets

os.environ.setdefault("SECRET_KEY", "tests-" + secrets.token_urlsafe(40))
