"""The upcoming events as RSS 2.0 and Atom 1.0 feeds (``/events/feed.rss``,
``/es/events/feed.atom``), linked from the events list."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.translation import gettext as _

from hopeful.web.events.display import event_when
from hopeful.web.events.ics import event_uid
from hopeful.web.events.models import Event
from hopeful.web.events.selectors import upcoming_for_feed


class EventsRss(Feed[Event, None]):
    feed_type: type[SyndicationFeed] = Rss201rev2Feed

    def title(self) -> str:
        return _("HOPE network events")

    def description(self) -> str:
        return _(
            "Upcoming events of the HOPE network: the HOPE Summit, the Week of HOPE, webinars."
        )

    def link(self) -> str:
        return reverse("events:list")

    def feed_url(self) -> str:
        return reverse("events:rss")

    def items(self) -> list[Event]:
        return upcoming_for_feed()

    def item_title(self, item: Event) -> str:
        return item.title

    def item_description(self, item: Event) -> str:
        return f"{event_when(item)}. {item.summary}"

    def item_link(self, item: Event) -> str:
        return reverse("events:detail", args=[item.slug])

    def item_guid(self, item: Event) -> str:
        return event_uid(item)

    item_guid_is_permalink = False

    def item_pubdate(self, item: Event) -> dt.datetime:
        return item.created_at

    def item_updateddate(self, item: Event) -> dt.datetime:
        return item.updated_at

    def item_categories(self, item: Event) -> list[str]:
        return [str(item.get_kind_display())]


class EventsAtom(EventsRss):
    feed_type = Atom1Feed
    subtitle = EventsRss.description

    def feed_url(self) -> str:
        return reverse("events:atom")


events_rss = login_not_required(EventsRss())
events_atom = login_not_required(EventsAtom())
