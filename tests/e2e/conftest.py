from __future__ import annotations

import os

# Playwright's sync API runs an event loop in the test thread; Django would then refuse the
# database calls that pytest-django's live_server fixtures make from that thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.web.conftest import two_tenants  # noqa: F401 - the same two-tenant fixture
