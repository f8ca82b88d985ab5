"""``/orgs/<org_id>/research/``: the research workspace (uploaded survey files, analyses)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from hopeful.web.workspace import views, views_analysis

app_name = "workspace"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("files/new/", views.upload, name="upload"),
    path("files/example/", views.example, name="example"),
    path("files/<uuid:file_id>/", views.file_detail, name="file_detail"),
    path("files/<uuid:file_id>/delete/", views.file_delete, name="file_delete"),
    path("files/<uuid:file_id>/analyses/new/", views_analysis.analysis_new, name="analysis_new"),
    path("analyses/new/", views_analysis.analysis_choose, name="analysis_choose"),
    path("analyses/<uuid:analysis_id>/", views_analysis.analysis_detail, name="analysis_detail"),
    path(
        "analyses/<uuid:analysis_id>/download/<slug:kind>/",
        views_analysis.analysis_download,
        name="analysis_download",
    ),
]
