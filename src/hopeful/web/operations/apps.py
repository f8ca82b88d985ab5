from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """The periodic jobs: one registry, a record of every run, and their staff page."""

    name = "hopeful.web.operations"
    label = "operations"
    default_auto_field = "django.db.models.BigAutoField"
