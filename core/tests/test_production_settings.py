"""Production settings, each in a fresh process as a server would start: `check --deploy` is clean with the
settings the README documents; DEBUG=0 refuses the public development SECRET_KEY; HTTPS=1 redirects plain
HTTP and sends HSTS; every page carries a strict Content-Security-Policy and no template undoes it."""
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def production_env(tmp_path):
    """The README's production block (between its production-settings markers), placeholders filled."""
    readme = (ROOT / "README.md").read_text()
    block = readme.split("<!-- production-settings -->")[1].split("<!-- /production-settings -->")[0]
    env = dict(line.split("=", 1) for line in block.splitlines() if re.match(r"^[A-Z_]+=", line))
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    assert env["PERSONAL_DATA_KEY_FILE"].startswith("/")  # a file outside the checkout and the database
    env["PERSONAL_DATA_KEY_FILE"] = str(tmp_path / "personal_data_key")
    (tmp_path / "personal_data_key").write_text(secrets.token_hex(32))
    env["PERSONAL_DATA_KEY"] = ""  # not the test run's own: the file's
    return env


def manage(tmp_path, env, *args):
    clean = {k: v for k, v in os.environ.items()  # not the test run's own (e.g. DJANGO_ALLOW_ASYNC_UNSAFE)
             if k not in ("SECRET_KEY", "DEBUG", "HTTPS", "SECURE_COOKIES") and not k.startswith("DJANGO_")}
    clean.update(env, VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="clearwindow.settings")
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True,
                          text=True, timeout=120)


def test_it_passes_the_deploy_check_with_the_production_settings_of_the_readme(tmp_path):
    env = production_env(tmp_path)
    assert env["DEBUG"] == "0" and env["HTTPS"] == "1"
    run = manage(tmp_path, env, "check", "--deploy", "--fail-level", "WARNING")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "System check identified no issues" in run.stdout


def test_it_refuses_to_start_on_the_public_secret_key_with_debug_off(tmp_path):
    run = manage(tmp_path, {"DEBUG": "0"}, "check")
    assert run.returncode != 0
    assert "SECRET_KEY is not set" in run.stderr and "DEBUG=1" in run.stderr
    assert manage(tmp_path, {"DEBUG": "1"}, "check").returncode == 0  # development still starts
    (tmp_path / "secret_key").write_text(secrets.token_urlsafe(50))  # what bin/setup keeps for the demo
    assert manage(tmp_path, {"DEBUG": "0"}, "check").returncode == 0


def test_it_redirects_to_https_and_sends_hsts_when_https_is_on(tmp_path):
    probe = ("from django.test import Client; c = Client(raise_request_exception=False);"
             "r = c.get('/robots-probe'); print(r.status_code, r.get('Location'));"
             "r = c.get('/robots-probe', secure=True); print(r.get('Strict-Transport-Security'))")
    env = {"SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "testserver",
           "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    on = manage(tmp_path, dict(env, HTTPS="1"), "shell", "-v", "0", "-c", probe).stdout.splitlines()
    assert on[0] == "301 https://testserver/robots-probe"
    assert on[-1] == "max-age=31536000; includeSubDomains; preload"
    off = manage(tmp_path, env, "shell", "-v", "0", "-c", probe).stdout.splitlines()
    assert not off[0].startswith("301") and off[-1] == "None"


@pytest.mark.django_db
def test_it_sends_a_strict_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict((d.split(" ", 1) + [""])[:2] for d in policy.split("; "))
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
    for name in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in directives[name] and "'unsafe-eval'" not in directives[name]


def test_it_keeps_inline_scripts_handlers_and_style_attributes_out_of_the_templates():
    """The policy blocks them: a template that brings one back breaks its page."""
    found = []
    for path in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in path.parts or path.name == "print.html":  # print.html is rendered to PDF, never served
            continue
        text = path.read_text()
        for pattern in (r"<script(?![^>]*\bsrc=)(?![^>]*nonce=)[^>]*>", r"<style(?![^>]*nonce=)",
                        r"\sstyle=\"", r"\son[a-z]+=\""):
            found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in re.finditer(pattern, text)]
    assert found == []
