from django.apps import AppConfig


class CmsConfig(AppConfig):
    """The public site: pages staff publish with Wagtail (home, about, the building blocks,
    the resource library, news), in English and Spanish."""

    name = "hopeful.web.cms"
    label = "cms"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hopeful.web.cms import navigation, signals

        signals.connect()
        navigation.connect()
