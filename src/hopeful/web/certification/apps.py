from django.apps import AppConfig


class CertificationConfig(AppConfig):
    """Certifications (HOPE Facilitator, HOPE Champion, HOPE-informed organization) as a
    state machine with an audit trail, issued as signed Open Badges 3.0 credentials that
    anyone can verify."""

    name = "hopeful.web.certification"
    label = "certification"
    default_auto_field = "django.db.models.BigAutoField"
