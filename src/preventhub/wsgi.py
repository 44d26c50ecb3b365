"""WSGI entry point: ``gunicorn preventhub.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "preventhub.settings")
application = get_wsgi_application()
