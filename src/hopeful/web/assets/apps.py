from django.apps import AppConfig


class AssetsConfig(AppConfig):
    """The community strengths map: places and programs that give children positive
    experiences, tagged by building block, found by ZIP and radius."""

    name = "hopeful.web.assets"
    label = "assets"
    default_auto_field = "django.db.models.BigAutoField"
