"""Test settings: everything from :mod:`hopeful.web.config.settings`, made fast.

Only speed-related swaps belong here (cheap password hashing, in-memory cache and email).
Environment defaults are set *before* the import so the real settings module runs its real
checks; a variable already set in the environment (``DATABASE_URL`` in CI) still wins.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("HOPEFUL_DEBUG", "true")
os.environ.setdefault("HOPEFUL_SECRET_KEY", "hopeful-test-secret-key-not-for-production")
os.environ.setdefault("HOPEFUL_DATA_DIR", str(Path(tempfile.gettempdir()) / "hopeful-test"))

from hopeful.web.config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# WhiteNoise reads every static file's headers when its middleware starts unless it looks files
# up per request (its development mode). Each test client starts the middleware again: ~0.1 s
# a client, minutes over the suite. tests/web/core/test_pages.py serves the files both ways.
WHITENOISE_AUTOREFRESH = True
