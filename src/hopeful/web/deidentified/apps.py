from django.apps import AppConfig


class DeidentifiedConfig(AppConfig):
    name = "hopeful.web.deidentified"
    label = "deidentified"
    default_auto_field = "django.db.models.BigAutoField"
