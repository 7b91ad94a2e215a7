"""WSGI entry point (gunicorn housingmix.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "housingmix.settings")

application = get_wsgi_application()
