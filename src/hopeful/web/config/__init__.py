"""Project configuration: one env-driven settings module, URLs and the WSGI/ASGI entry points."""
