"""ASGI entry point, for servers that prefer it; Prevent Hub itself is synchronous."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "preventhub.settings")
application = get_asgi_application()
