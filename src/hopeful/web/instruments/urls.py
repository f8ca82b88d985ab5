from __future__ import annotations

from django.urls import path

from hopeful.web.instruments import views

app_name = "instruments"

urlpatterns = [
    path("", views.instrument_list, name="list"),
    path("<slug:instrument_id>/", views.instrument_detail, name="detail"),
    path("<slug:instrument_id>/v/<str:version>/", views.instrument_detail, name="version"),
]
