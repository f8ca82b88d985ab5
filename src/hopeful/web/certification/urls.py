"""Certification pages (whole paths; included at the root inside ``i18n_patterns``)."""

from __future__ import annotations

from django.urls import URLPattern, path

from hopeful.web.certification import views, views_staff

app_name = "certification"

urlpatterns: list[URLPattern] = [
    path("verify/<str:code>/", views.verify, name="verify"),
    path("certificates/", views.mine, name="mine"),
    path("certificates/<uuid:public_id>/renew/", views.renew, name="renew"),
    path("certificates/<str:code>/certificate.pdf", views.pdf, name="pdf"),
    path("certificates/<str:code>/credential.json", views.download, name="download"),
    path("staff/certifications/", views_staff.staff_list, name="staff_list"),
    path("staff/certifications/reviews/", views_staff.staff_reviews, name="staff_reviews"),
    path(
        "staff/certifications/reviews/<uuid:public_id>/",
        views_staff.staff_review,
        name="staff_review",
    ),
    path("staff/certifications/<uuid:public_id>/", views_staff.staff_detail, name="staff_detail"),
]
