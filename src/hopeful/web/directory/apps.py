from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    """The public face of the HOPE network: the opt-in directory of certified trainers and
    HOPE-informed organizations (``/trainers/``), the Innovation Network's member pages, the
    network figures and the directory as Open Referral HSDS."""

    name = "hopeful.web.directory"
    label = "directory"
    default_auto_field = "django.db.models.BigAutoField"
