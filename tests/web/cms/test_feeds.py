"""The news feeds: valid RSS 2.0 and Atom 1.0 with the newest live posts, in each language,
linked from every page's head."""

from __future__ import annotations

import datetime as dt

import feedparser
import pytest
from django.test import Client

from tests.web.cms import site

pytestmark = pytest.mark.django_db


@pytest.fixture
def posts(image: object) -> list[object]:
    index = site.news()
    made = [
        site.post(
            index, f"Post {n}", image, on=dt.date(2026, 1, 1) + dt.timedelta(days=n), tags=("hope",)
        )
        for n in range(3)
    ]
    return made


@pytest.mark.parametrize(
    ("url", "version"), [("/feeds/news.rss", "rss20"), ("/feeds/news.atom", "atom10")]
)
def test_feeds_parse_with_the_newest_posts_first(
    client: Client, posts: list[object], url: str, version: str
) -> None:
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == version
    assert [entry.title for entry in feed.entries] == ["Post 2", "Post 1", "Post 0"]
    assert feed.entries[0].link.endswith("/news/post-2/")
    assert feed.entries[0].summary == "Summary of Post 2."
    assert feed.entries[0].author == "Sample Author"
    assert [t.term for t in feed.entries[0].tags] == ["hope"]


def test_unpublished_posts_leave_the_feed(client: Client, posts: list[object]) -> None:
    posts[2].unpublish()
    feed = feedparser.parse(client.get("/feeds/news.rss").content)
    assert [entry.title for entry in feed.entries] == ["Post 1", "Post 0"]


def test_spanish_feed_carries_spanish_posts(client: Client, posts: list[object]) -> None:
    site.spanish_home()
    site.translate(posts[0], title="Entrada 0", summary="Resumen.")
    feed = feedparser.parse(client.get("/es/feeds/news.rss").content)
    assert not feed.bozo
    assert feed.feed.language == "es"
    assert [entry.title for entry in feed.entries] == ["Entrada 0"]
    assert "/es/news/" in feed.entries[0].link


@pytest.mark.parametrize("path", ["/", "/resources/", "/instruments/", "/es/"])
def test_every_page_links_the_feeds_in_its_head(client: Client, path: str) -> None:
    site.library()
    head = client.get(path).content.split(b"</head>")[0]
    assert b'type="application/rss+xml"' in head
    assert b'type="application/atom+xml"' in head
