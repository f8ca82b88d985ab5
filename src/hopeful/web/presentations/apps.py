from django.apps import AppConfig


class PresentationsConfig(AppConfig):
    """Requests for a HOPE presentation: the public form and the staff triage queue."""

    name = "hopeful.web.presentations"
    label = "presentations"
    default_auto_field = "django.db.models.BigAutoField"
