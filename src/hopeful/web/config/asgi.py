"""ASGI entry point (uvicorn, daphne)."""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hopeful.web.config.settings")

application = get_asgi_application()
