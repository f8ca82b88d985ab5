from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from hopeful.web.presentations import views, views_staff

app_name = "presentations"
urlpatterns: list[URLPattern | URLResolver] = [
    path("request-a-presentation/", views.request_form, name="request"),
    path("request-a-presentation/thanks/", views.thanks, name="thanks"),
    path("staff/presentations/", views_staff.queue, name="queue"),
    path("staff/presentations/<uuid:public_id>/", views_staff.detail, name="detail"),
]
