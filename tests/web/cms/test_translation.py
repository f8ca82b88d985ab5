"""English and Spanish: translated pages at /es/, an untranslated page says so and offers
the English one, and the language switch goes to the page's own translation."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.web.cms import site

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages() -> dict[str, object]:
    home = site.home()
    about = site.standard(home, "About HOPE", "about", intro="English words.")
    team = site.standard(home, "Our team", "team", intro="Only in English.")
    site.spanish_home()
    acerca = site.translate(about, title="Acerca de HOPE", slug="acerca", intro="Palabras.")
    return {"about": about, "team": team, "acerca": acerca}


def test_spanish_pages_are_served_in_spanish(client: Client, pages: dict[str, object]) -> None:
    response = client.get("/es/acerca/")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'lang="es"' in text
    assert "Acerca de HOPE" in text
    assert client.get("/es/").status_code == 200
    assert "HOPE en español" in client.get("/es/").content.decode()


def test_an_untranslated_page_says_so_and_offers_the_english_one(
    client: Client, pages: dict[str, object]
) -> None:
    response = client.get("/es/team/")
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    text = response.content.decode()
    assert 'lang="es"' in text
    assert "Our team" in text  # names the page
    assert 'href="/team/"' in text  # and links the English one
    assert "Only in English." not in text  # without passing English text off as Spanish


def test_a_spanish_address_with_english_slugs_finds_the_translation(
    client: Client, pages: dict[str, object]
) -> None:
    response = client.get("/es/about/")
    assert response.status_code == 302
    assert response["Location"] == "/es/acerca/"


def test_a_missing_page_is_still_not_found(client: Client, pages: dict[str, object]) -> None:
    assert client.get("/es/nowhere/").status_code == 404
    assert client.get("/nowhere/").status_code == 404


def test_the_language_switch_goes_to_the_translation(
    client: Client, pages: dict[str, object]
) -> None:
    english = client.get("/about/").content.decode()
    assert 'href="/es/acerca/" lang="es"' in english
    spanish = client.get("/es/acerca/").content.decode()
    assert 'href="/about/" lang="en"' in spanish
    untranslated = client.get("/team/").content.decode()
    assert 'href="/es/team/" lang="es"' in untranslated  # the page that says it is not translated


def test_home_falls_back_to_the_built_in_home_without_a_spanish_home(client: Client) -> None:
    """Until staff publish a Spanish home page, /es/ is the built-in Spanish home, not the
    English page's words."""
    response = client.get("/es/")
    assert response.status_code == 200
    assert 'lang="es"' in response.content.decode()
    assert (
        "HOPE (Healthy Outcomes from Positive Experiences) is a way"
        not in response.content.decode()
    )


def test_a_page_submitted_for_translation_stays_untranslated_until_published(
    client: Client, pages: dict[str, object]
) -> None:
    """wagtail-localize's "Translate" makes a Spanish draft of the English text: the Spanish
    address keeps saying the page is not translated until staff publish the translation."""
    from wagtail.models import Locale
    from wagtail_localize.operations import translate_object

    team = pages["team"]
    translate_object(team, [Locale.objects.get(language_code="es")])
    spanish = team.get_translation(Locale.objects.get(language_code="es"))
    assert not spanish.live
    response = client.get("/es/team/")
    assert "Only in English." not in response.content.decode()
    assert 'href="/team/"' in response.content.decode()
