from django.apps import AppConfig


class BrightspotsConfig(AppConfig):
    name = "hopeful.web.brightspots"
    label = "brightspots"
    default_auto_field = "django.db.models.BigAutoField"
