from django.apps import AppConfig


class StandardsConfig(AppConfig):
    """An organization's self-assessment on the six standards of HOPE-informed organizations,
    its improvement plan and its progress over re-assessments."""

    name = "hopeful.web.standards"
    label = "standards"
    default_auto_field = "django.db.models.BigAutoField"
