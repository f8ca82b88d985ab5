from django.apps import AppConfig


class TrainingsConfig(AppConfig):
    """Scheduled trainings: sessions, registration with a waitlist, attendance, completion,
    calendar invitations and reminders."""

    name = "hopeful.web.trainings"
    label = "trainings"
    default_auto_field = "django.db.models.BigAutoField"
