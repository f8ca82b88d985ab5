"""The resource library: filters by plain GET parameters, full-text search, pagination."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.web.cms import site

pytestmark = pytest.mark.django_db


@pytest.fixture
def library() -> object:
    index = site.library()
    site.resource(
        index,
        "Bedtime stories together",
        summary="Serve-and-return moments when reading before sleep.",
        blocks=("relationships",),
        audiences=("families",),
        languages=("en",),
        ages=("0-2", "3-5"),
    )
    site.resource(
        index,
        "Mapa de lugares seguros",
        summary="Making a neighborhood map of safe places to play.",
        format="toolkit",
        blocks=("environment",),
        audiences=("community", "families"),
        languages=("es",),
        ages=("6-12",),
    )
    site.resource(
        index,
        "Talking with teens about feelings",
        summary="Naming emotions and listening without fixing.",
        format="research",
        blocks=("emotional_growth",),
        audiences=("practitioners",),
        languages=("en", "es"),
        ages=("13-18",),
    )
    site.resource(index, "A draft nobody sees", blocks=("relationships",), live=False)
    site.reindex()
    return index


def titles(response: object) -> list[str]:
    page = response.context["listing"].results  # type: ignore[attr-defined]
    return sorted(r.title for r in page.object_list)


def test_library_lists_live_resources_only(client: Client, library: object) -> None:
    response = client.get("/resources/")
    assert response.status_code == 200
    assert titles(response) == [
        "Bedtime stories together",
        "Mapa de lugares seguros",
        "Talking with teens about feelings",
    ]
    assert b"A draft nobody sees" not in response.content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("block=relationships", ["Bedtime stories together"]),
        (
            "block=environment&block=emotional_growth",
            ["Mapa de lugares seguros", "Talking with teens about feelings"],
        ),
        ("audience=families", ["Bedtime stories together", "Mapa de lugares seguros"]),
        ("audience=families&block=environment", ["Mapa de lugares seguros"]),
        ("language=es", ["Mapa de lugares seguros", "Talking with teens about feelings"]),
        ("age=13-18", ["Talking with teens about feelings"]),
        ("format=toolkit", ["Mapa de lugares seguros"]),
        ("audience=policymakers", []),
    ],
)
def test_filters_are_plain_linkable_parameters(
    client: Client, library: object, query: str, expected: list[str]
) -> None:
    response = client.get(f"/resources/?{query}")
    assert response.status_code == 200
    assert titles(response) == expected
    # the form shows the chosen filters ticked, so the page explains its own list
    for pair in query.split("&"):
        name, value = pair.split("=")
        if name != "format":
            assert f'name="{name}" value="{value}" checked'.encode() in response.content


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("neighborhood map", ["Mapa de lugares seguros"]),
        ("emotions", ["Talking with teens about feelings"]),
        ("bedtime", ["Bedtime stories together"]),
        ("zebra", []),
    ],
)
def test_full_text_search(client: Client, library: object, words: str, expected: list[str]) -> None:
    response = client.get("/resources/", {"q": words})
    assert titles(response) == expected


def test_search_and_filters_combine(client: Client, library: object) -> None:
    response = client.get("/resources/", {"q": "map", "audience": "practitioners"})
    assert titles(response) == []
    response = client.get("/resources/", {"q": "map", "audience": "community"})
    assert titles(response) == ["Mapa de lugares seguros"]


def test_unknown_values_are_named_and_ignored(client: Client, library: object) -> None:
    response = client.get("/resources/?block=nonsense&format=scroll")
    assert response.status_code == 200
    assert len(titles(response)) == 3
    text = response.content.decode()
    assert "nonsense" in text
    assert "scroll" in text


def test_pagination_keeps_the_filters(client: Client, library: object) -> None:
    index = library
    for n in range(14):
        site.resource(index, f"Handout {n:02d}", blocks=("engagement",))
    response = client.get("/resources/?block=engagement")
    listing = response.context["listing"]
    assert listing.total == 14
    assert len(listing.results.object_list) == 12
    assert b"block=engagement&amp;page=2" in response.content
    second = client.get("/resources/?block=engagement&page=2")
    assert len(second.context["listing"].results.object_list) == 2
    assert client.get("/resources/?page=999").status_code == 200
