from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    """The newsletter sign-up: double opt-in, unsubscribe without signing in, consent kept."""

    name = "hopeful.web.newsletter"
    label = "newsletter"
    default_auto_field = "django.db.models.BigAutoField"
