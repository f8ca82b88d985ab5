from __future__ import annotations

from django.urls import URLPattern, path

from hopeful.web.trainings import views, views_staff

app_name = "trainings"

urlpatterns: list[URLPattern] = [
    path("trainings/", views.training_list, name="list"),
    path("trainings/mine/", views.mine, name="mine"),
    path("trainings/<uuid:public_id>/", views.training_detail, name="detail"),
    path("trainings/<uuid:public_id>/register/", views.training_register, name="register"),
    path("trainings/<uuid:public_id>/calendar.ics", views.calendar_ics, name="calendar"),
    path(
        "trainings/registrations/<uuid:public_id>/cancel/",
        views.registration_cancel,
        name="cancel",
    ),
    path("staff/trainings/", views_staff.staff_list, name="staff_list"),
    path("staff/trainings/new/", views_staff.staff_new, name="staff_new"),
    path("staff/trainings/<uuid:public_id>/", views_staff.staff_detail, name="staff_detail"),
    path("staff/trainings/<uuid:public_id>/edit/", views_staff.staff_edit, name="staff_edit"),
    path(
        "staff/trainings/<uuid:public_id>/roster.csv",
        views_staff.roster_csv,
        name="roster_csv",
    ),
    path(
        "staff/trainings/<uuid:public_id>/sessions/<uuid:session_id>/attendance/",
        views_staff.attendance,
        name="attendance",
    ),
]
