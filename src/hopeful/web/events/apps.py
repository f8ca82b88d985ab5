from django.apps import AppConfig


class EventsConfig(AppConfig):
    """Network events (the annual summit, the Week of HOPE, webinars): public pages,
    registration with a waitlist, calendar files and a feed."""

    name = "hopeful.web.events"
    label = "events"
    default_auto_field = "django.db.models.BigAutoField"
