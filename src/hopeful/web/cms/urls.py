"""The public site's own addresses (feeds). Pages themselves are served by Wagtail at every
other address (hopeful.web.config.urls puts its catch-all last)."""

from __future__ import annotations

from django.urls import path

from hopeful.web.cms import feeds

app_name = "cms"

urlpatterns = [
    path("news.rss", feeds.news_rss, name="news_rss"),
    path("news.atom", feeds.news_atom, name="news_atom"),
]
