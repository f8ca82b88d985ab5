from django.apps import AppConfig


class LabelledConfig(AppConfig):
    name = "hopeful.web.labelled"
    label = "labelled"
    default_auto_field = "django.db.models.BigAutoField"
