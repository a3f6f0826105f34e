"""A web worker boots without PyAV and numpy: apps register their ticks in ready(), and the modules those
ticks live in (video's recording and connection test, the ledger's verification) load PyAV and numpy
only inside the functions that use them. Both cost a worker most of its boot time and memory while a
web request never needs them. (The suites of video and ledger run the functions that load them.)"""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("av", "numpy")


def loaded_after(code):
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="clearwindow.settings")
    run = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint(' '.join(sorted(sys.modules)))"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return set(run.stdout.split())


def test_django_setup_loads_neither_pyav_nor_numpy():
    loaded = loaded_after("import django; django.setup()")
    assert "video.ticks" in loaded and "ledger.ticks" in loaded  # the ticks were registered
    assert [m for m in HEAVY if m in loaded] == []


def test_a_web_worker_with_its_url_conf_and_views_loaded_has_neither():
    loaded = loaded_after("import clearwindow.wsgi")  # what gunicorn loads: setup, then every view module
    assert "video.views" in loaded and "supervision.views.centre" in loaded
    assert [m for m in HEAVY if m in loaded] == []

