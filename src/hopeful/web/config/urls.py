"""Root URLs. Pages people read live under ``i18n_patterns``: ``/instruments/`` is English,
``/es/instruments/`` Spanish. Machine endpoints (health), the admins and the library's files
are not translated. The public site's pages (Wagtail) take every address no app claims."""

from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from wagtail.admin import urls as wagtailadmin_urls

from hopeful.web.cms import views as cms_views
from hopeful.web.core import metrics as core_metrics
from hopeful.web.core import views as core_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("health/", core_views.health, name="health"),
    # Prometheus metrics, behind a bearer token (no trailing slash: the scrapers' default).
    path("metrics", core_metrics.metrics, name="metrics"),
    # Where to report a vulnerability (RFC 9116; docs/security.md).
    path(".well-known/security.txt", core_views.security_txt, name="security_txt"),
    path("admin/", admin.site.urls),
    # The public site's CMS (network staff only; its sign-in is HOPEful's).
    path("cms/login/", cms_views.admin_sign_in, name="wagtailadmin_login"),
    path("cms/", include(wagtailadmin_urls)),
    re_path(r"^documents/(\d+)/(.*)$", cms_views.document, name="wagtaildocs_serve"),
    path("media/images/<path:path>", cms_views.image, name="cms_image"),
    # Machine endpoints of the credentials: the issuer's public keys and the status lists.
    path("", include("hopeful.web.certification.urls_machine")),
    # The public directory as Open Referral HSDS (JSON and a CSV datapackage).
    path("", include("hopeful.web.directory.urls_machine")),
    # The REST API (OpenAPI at /api/v1/openapi.json) and FHIR R4, for other systems: bearer
    # tokens, problem details, never translated.
    path("api/v1/", include("hopeful.web.api.urls")),
    path("fhir/", include("hopeful.web.fhir.urls")),
    *i18n_patterns(
        path("", include("hopeful.web.core.urls")),
        path("accounts/", include("hopeful.web.accounts.urls")),
        # Passkey ceremonies (JSON, called by the package's scripts; namespace otp_webauthn).
        path("accounts/passkeys/", include("hopeful.web.accounts.urls_webauthn")),
        path("instruments/", include("hopeful.web.instruments.urls")),
        path("orgs/", include("hopeful.web.practice.urls")),
        path("orgs/<uuid:org_id>/members/", include("hopeful.web.organizations.urls")),
        path("orgs/<uuid:org_id>/campaigns/", include("hopeful.web.surveys.urls_admin")),
        path("orgs/<uuid:org_id>/audit/", include("hopeful.web.audit.urls")),
        path("orgs/<uuid:org_id>/dashboard/", include("hopeful.web.insights.urls")),
        path("orgs/<uuid:org_id>/reports/", include("hopeful.web.reports.urls")),
        path("orgs/<uuid:org_id>/research/exports/", include("hopeful.web.deidentified.urls")),
        path("orgs/<uuid:org_id>/research/", include("hopeful.web.workspace.urls")),
        path("orgs/<uuid:org_id>/bright-spots/", include("hopeful.web.brightspots.urls")),
        path("orgs/<uuid:org_id>/api-tokens/", include("hopeful.web.api.urls_org")),
        path("orgs/<uuid:org_id>/imports/", include("hopeful.web.imports.urls")),
        path("orgs/<uuid:org_id>/data-files/", include("hopeful.web.labelled.urls")),
        path("orgs/<uuid:org_id>/webhooks/", include("hopeful.web.webhooks.urls")),
        path("orgs/<uuid:org_id>/standards/", include("hopeful.web.standards.urls")),
        path("orgs/<uuid:org_id>/directory/", include("hopeful.web.directory.urls_org")),
        path("orgs/<uuid:org_id>/strengths/", include("hopeful.web.assets.urls_org")),
        path("orgs/<uuid:org_id>/", include("hopeful.web.casework.urls")),
        path("network/bright-spots/", include("hopeful.web.brightspots.urls_network")),
        path("network/", include("hopeful.web.network.urls")),
        path("s/", include("hopeful.web.surveys.urls_public")),
        # Families' rights (issue 17): download or delete their data through a personal link.
        path("s/", include("hopeful.web.families.urls_rights")),
        path("newsletter/", include("hopeful.web.newsletter.urls")),
        # Learning and certification: each app's urls.py holds whole paths (learn/, staff/,
        # trainings/, staff/trainings/, verify/, certificates/, staff/certifications/).
        path("", include("hopeful.web.learning.urls")),
        path("", include("hopeful.web.trainings.urls")),
        path("", include("hopeful.web.certification.urls")),
        # The scheduled jobs' staff pages (staff/jobs/; whole paths in its urls.py).
        path("", include("hopeful.web.operations.urls")),
        path("staff/standards/", include("hopeful.web.standards.urls_review")),
        # The public network: trainers, members, figures, presentations, events, strengths
        # (whole paths in each urls.py, like the learning apps').
        path("", include("hopeful.web.directory.urls")),
        path("", include("hopeful.web.directory.urls_open")),
        path("", include("hopeful.web.presentations.urls")),
        path("", include("hopeful.web.events.urls")),
        path("", include("hopeful.web.assets.urls")),
        path("feeds/", include("hopeful.web.cms.urls")),
        # Every other address is a page of the public site (Wagtail); last, as a catch-all.
        re_path(r"^((?:[\w\-]+/)*)$", cms_views.serve, name="wagtail_serve"),
        prefix_default_language=False,
    ),
]

# Designed error pages (see hopeful.web.core.errors); Django's own are bare and English only.
handler400 = "hopeful.web.core.errors.bad_request"
handler403 = "hopeful.web.core.errors.permission_denied"
handler404 = "hopeful.web.core.errors.page_not_found"
handler500 = "hopeful.web.core.errors.server_error"
