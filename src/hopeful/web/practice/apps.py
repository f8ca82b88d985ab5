from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "hopeful.web.practice"
    label = "practice"
    default_auto_field = "django.db.models.BigAutoField"
