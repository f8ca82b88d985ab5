from __future__ import annotations

import html

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from hopeful.framework import Instrument, get_building_block, get_instrument, list_instruments
from tests.web.factories import SITE_MENU_QUERIES

pytestmark = pytest.mark.django_db

LANGUAGES = [("", "en"), ("/es", "es")]


def esc(text: str) -> str:
    return html.escape(text)


def test_it_lists_every_registered_instrument_with_facts_and_language_status(
    client: Client,
) -> None:
    response = client.get("/instruments/")
    assert response.status_code == 200
    content = response.content.decode()
    for instrument in list_instruments():
        assert esc(instrument.title.get_text("en")) in content
        assert f'href="/instruments/{instrument.id}/"' in content
    pce7 = get_instrument("pce7")
    assert f"<dd>{len(pce7.items)}</dd>" in content
    assert "Spanish: unofficial translation" in content


def test_it_lists_the_instruments_in_spanish(client: Client) -> None:
    content = client.get("/es/instruments/").content.decode()
    assert "Cuestionarios de fortalezas" in content
    assert "Español: traducción no oficial" in content
    assert 'href="/es/instruments/pce7/"' in content
    assert esc(get_instrument("pce7").title.get_text("es")) in content


def test_it_lists_the_instruments_without_querying_the_database_per_instrument(
    client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_max_num_queries(2 + SITE_MENU_QUERIES):
        assert client.get("/instruments/").status_code == 200


@pytest.mark.parametrize(("prefix", "language"), LANGUAGES)
@pytest.mark.parametrize("instrument", list_instruments(), ids=lambda i: i.id)
def test_it_shows_every_item_and_every_option_of_each_instrument(
    client: Client, instrument: Instrument, prefix: str, language: str
) -> None:
    response = client.get(f"{prefix}/instruments/{instrument.id}/")
    assert response.status_code == 200
    content = response.content.decode()
    text_language = language if language in instrument.languages else "en"
    assert f'<html lang="{language}">' in content
    assert esc(instrument.title.get_text(text_language)) in content
    assert esc(instrument.instructions.get_text(text_language)) in content
    assert esc(instrument.citation) in content
    assert esc(instrument.licence) in content
    for item in instrument.items:
        assert esc(item.text.get_text(text_language)) in content, item.id
        for option in item.options:
            assert esc(option.label.get_text(text_language)) in content, (item.id, option.code)
        if item.block is not None:
            assert esc(get_building_block(item.block).name.get_text(language)) in content
    if instrument.content_note is not None:
        note = esc(instrument.content_note.get_text(text_language))
        assert note in content
        assert content.index(note) < content.index(
            esc(instrument.items[0].text.get_text(text_language))
        )


def test_it_shows_a_given_version_and_links_to_it(client: Client) -> None:
    pce7 = get_instrument("pce7")
    response = client.get(f"/instruments/pce7/v/{pce7.version}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert f"Questionnaire, version {pce7.version}" in content
    assert f'href="/instruments/pce7/v/{pce7.version}/" aria-current="true"' in content


def test_it_shows_the_spanish_paper_form_with_spanish_labels(client: Client) -> None:
    content = client.get("/es/instruments/pce7/").content.decode()
    assert "¿Sentía que podía hablar con su familia sobre sus sentimientos?" in content
    assert "Imprimir este formulario" in content
    assert "Marque una casilla en cada pregunta." in content
    assert "Bloque fundamental:" in content
    # Notes that exist only in English are marked as English for screen readers.
    assert '<dd lang="en">' in content


def test_it_offers_printing_without_javascript_and_with_it(client: Client) -> None:
    content = client.get("/instruments/pce7/").content.decode()
    assert "use your browser's Print command" in content
    assert "data-print hidden" in content
    assert "/static/hopeful/js/print.js" in content
    assert "onclick" not in content  # the CSP forbids inline scripts


def test_it_shows_the_content_note_before_the_questions_for_the_ace_module(
    client: Client,
) -> None:
    ace = get_instrument("ace_brfss")
    assert ace.content_note is not None
    content = client.get("/instruments/ace_brfss/").content.decode()
    assert "Before you begin" in content
    assert content.index("Before you begin") < content.index('id="questions-heading"')


@pytest.mark.parametrize(
    "url",
    [
        "/instruments/no-such-instrument/",
        "/instruments/pce7/v/99.0/",
        "/instruments/pce7/v/not-a-version/",
        "/es/instruments/no-such-instrument/",
    ],
)
def test_it_answers_404_for_an_unknown_instrument_or_version(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert "<h1>" in response.content.decode()
