from django.apps import AppConfig


class LearningConfig(AppConfig):
    """The learning hub: learner profiles, self-paced courses (pages of the public site's
    CMS) with quizzes, progress and continuing-education hours; the network staff area's home."""

    name = "hopeful.web.learning"
    label = "learning"
    default_auto_field = "django.db.models.BigAutoField"
