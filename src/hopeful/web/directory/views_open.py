"""The public directory as open data (Open Referral HSDS 3.0): the JSON document and the CSV
datapackage (:mod:`hopeful.web.directory.hsds`). Public, not translated, cacheable for ten
minutes: a listing that drops out (opted out, certification expired) leaves the export
within ten minutes at most."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from hopeful.web.directory import hsds

#: Seconds a browser or proxy may keep an export.
MAX_AGE = 600


def _open(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Open data: any site may read it from the browser.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_not_required
@require_safe
@cache_control(public=True, max_age=MAX_AGE)
def hsds_json(request: HttpRequest) -> HttpResponse:
    """The whole public directory as one HSDS 3.0 JSON document."""
    with translation.override("en"):
        body = hsds.json_bytes(hsds.document())
    return _open(
        HttpResponse(body, content_type="application/json; charset=utf-8"), hsds.JSON_FILENAME
    )


@login_not_required
@require_safe
@cache_control(public=True, max_age=MAX_AGE)
def hsds_zip(request: HttpRequest) -> HttpResponse:
    """The same data as an HSDS tabular data package (datapackage.json + CSV files), zipped."""
    with translation.override("en"):
        body = hsds.zip_bytes(hsds.document())
    return _open(HttpResponse(body, content_type="application/zip"), hsds.ZIP_FILENAME)
