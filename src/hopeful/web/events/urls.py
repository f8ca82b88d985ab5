"""The events' addresses (whole paths, mounted at the root inside ``i18n_patterns``): the
public pages under ``events/``, the network staff's under ``staff/events/``."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path, register_converter

from hopeful.web.events import feeds, views, views_staff
from hopeful.web.events.tokens import TOKEN_PATTERN


class ManageTokenConverter:
    """A manage link's token as ``secrets.token_urlsafe`` makes it (anything else is 404)."""

    regex = TOKEN_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ManageTokenConverter, "event_token")

app_name = "events"
urlpatterns: list[URLPattern | URLResolver] = [
    path("events/", views.event_list, name="list"),
    path("events/feed.rss", feeds.events_rss, name="rss"),
    path("events/feed.atom", feeds.events_atom, name="atom"),
    path("events/registrations/<event_token:token>/", views.manage, name="manage"),
    path("events/<slug:slug>/", views.event_detail, name="detail"),
    path("events/<slug:slug>/calendar.ics", views.calendar_ics, name="calendar"),
    path("staff/events/", views_staff.staff_list, name="staff_list"),
    path("staff/events/new/", views_staff.staff_new, name="staff_new"),
    path("staff/events/<uuid:public_id>/", views_staff.staff_detail, name="staff_detail"),
    path("staff/events/<uuid:public_id>/edit/", views_staff.staff_edit, name="staff_edit"),
    path("staff/events/<uuid:public_id>/cancel/", views_staff.staff_cancel, name="staff_cancel"),
    path("staff/events/<uuid:public_id>/roster.csv", views_staff.roster_csv, name="roster_csv"),
    path(
        "staff/events/<uuid:public_id>/registrations/<uuid:registration_id>/cancel/",
        views_staff.registration_cancel,
        name="staff_registration_cancel",
    ),
]
