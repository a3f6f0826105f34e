import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from core import gctune

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearwindow.settings")
application = get_wsgi_application()
# Import the URL conf and every view module while the worker boots, not in its first request (a
# quarter to half a second, lazily), and before gc.freeze so that they are frozen with the rest.
get_resolver().url_patterns  # noqa: B018 (evaluated for its import)
gctune.tune()
