import os

from django.core.wsgi import get_wsgi_application

from core import gctune

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearwindow.settings")
application = get_wsgi_application()
gctune.tune()
