"""The learning hub's addresses (whole paths: included at the site root, under /es/ too)."""

from __future__ import annotations

from django.urls import URLPattern, path

from hopeful.web.learning import views

app_name = "learning"

urlpatterns: list[URLPattern] = [
    path("learn/", views.catalogue, name="catalogue"),
    path("learn/join/", views.join, name="join"),
    path("learn/join/confirm/<str:token>/", views.join_confirm, name="join_confirm"),
    path("learn/me/", views.home, name="home"),
    path("learn/profile/", views.profile, name="profile"),
    path("learn/lessons/<int:page_id>/quiz/", views.quiz_submit, name="quiz_submit"),
    path("learn/lessons/<int:page_id>/complete/", views.lesson_complete, name="lesson_complete"),
    path("staff/", views.staff_home, name="staff_home"),
    path("staff/learners/", views.staff_learners, name="staff_learners"),
    path("staff/learners/<uuid:public_id>/", views.staff_learner, name="staff_learner"),
]
