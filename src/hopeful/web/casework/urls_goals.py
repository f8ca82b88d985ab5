"""Casework URLs: a family's goals, celebrations and case reviews, and the reviews due (mounted
under ``/orgs/<org_id>/`` by :mod:`hopeful.web.casework.urls`)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from hopeful.web.casework import views_goals, views_reviews

urlpatterns: list[URLPattern | URLResolver] = [
    path("families/<uuid:family_id>/goals/", views_goals.family_goals, name="family_goals"),
    path("families/<uuid:family_id>/goals/new/", views_goals.goal_new, name="goal_new"),
    path("goals/<uuid:goal_id>/", views_goals.goal_detail, name="goal"),
    path(
        "families/<uuid:family_id>/celebrations/new/",
        views_goals.celebration_new,
        name="celebration_new",
    ),
    path("families/<uuid:family_id>/reviews/new/", views_reviews.review_new, name="review_new"),
    path("reviews/<uuid:review_id>/", views_reviews.review_detail, name="review"),
    path("reviews/", views_reviews.review_list, name="reviews"),
]
