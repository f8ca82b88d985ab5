"""Serve HOPEful with waitress, a pure-Python production WSGI server.

WhiteNoise (in the middleware) serves the static files, so this one process is the whole
site: ``hopeful serve`` needs no nginx in front for a demo or a small clinic.
"""

from __future__ import annotations

import os

__all__ = ["serve"]

THREADS = 4


def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the WSGI application on ``host:port`` until interrupted."""
    from waitress import serve as waitress_serve

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hopeful.web.config.settings")
    # Imported here: importing the WSGI module sets Django up, which needs the settings.
    from hopeful.web.config.wsgi import application

    waitress_serve(application, host=host, port=port, threads=THREADS, ident="hopeful")
