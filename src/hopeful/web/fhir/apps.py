from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "hopeful.web.fhir"
    label = "fhir"
    default_auto_field = "django.db.models.BigAutoField"
