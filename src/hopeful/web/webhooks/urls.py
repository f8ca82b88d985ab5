"""``/orgs/<org_id>/webhooks/``: signed messages to the organization's own systems when
answers are stored (org admins)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from hopeful.web.webhooks import views

app_name = "webhooks"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.webhook_list, name="list"),
    path("<uuid:webhook_id>/", views.webhook_detail, name="detail"),
    path("<uuid:webhook_id>/test/", views.webhook_test, name="test"),
    path("<uuid:webhook_id>/secret/", views.webhook_rotate, name="rotate"),
    path("<uuid:webhook_id>/disable/", views.webhook_disable, name="disable"),
    path("<uuid:webhook_id>/enable/", views.webhook_enable, name="enable"),
    path("<uuid:webhook_id>/delete/", views.webhook_delete, name="delete"),
    path(
        "<uuid:webhook_id>/deliveries/<uuid:delivery_id>/redeliver/",
        views.delivery_redeliver,
        name="redeliver",
    ),
]
