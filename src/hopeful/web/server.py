"""Serve HOPEful with waitress, a pure-Python production WSGI server.

WhiteNoise (in the middleware) serves the static files, so this one process is the whole
site: ``hopeful serve`` needs no nginx in front for a demo or a small clinic.
"""

from __future__ import annotations

import os

__all__ = ["serve"]

THREADS = 4
#: Bytes of a request body beyond the largest research upload (the form's other fields).
BODY_MARGIN = 1024 * 1024


def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the WSGI application on ``host:port`` until interrupted."""
    from waitress import serve as waitress_serve

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hopeful.web.config.settings")
    # Imported here: importing the WSGI module sets Django up, which needs the settings.
    from django.conf import settings

    from hopeful.web.config.wsgi import application

    # Waitress refuses bodies over 1 GiB by default; the research workspace takes survey
    # files up to HOPEFUL_RESEARCH_MAX_BYTES (its form says so), plus room for the form.
    body_limit = int(settings.HOPEFUL_RESEARCH_MAX_BYTES) + BODY_MARGIN
    waitress_serve(
        application,
        host=host,
        port=port,
        threads=THREADS,
        ident="hopeful",
        max_request_body_size=body_limit,
    )
