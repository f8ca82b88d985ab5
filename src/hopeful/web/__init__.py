"""HOPEful's Django project: config/ (settings, urls, wsgi) and one app per area."""
