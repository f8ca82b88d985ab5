from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "hopeful.web.webhooks"
    label = "webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from hopeful.web.surveys.models import Submission
        from hopeful.web.webhooks.receivers import submission_saved

        post_save.connect(
            submission_saved, sender=Submission, dispatch_uid="hopeful.webhooks.submission"
        )
