"""A questionnaire as files for other tools: an XLSForm for ODK and KoboToolbox, a REDCap data
dictionary. Public, like the questionnaire's page (they hold no one's answers)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.http.request import HttpRequest
from django.views.decorators.http import require_GET

from hopeful.framework import UnknownInstrumentError, UnknownVersionError, get_instrument
from hopeful.framework.instruments import Instrument
from hopeful.interop.redcap import redcap_dictionary
from hopeful.interop.xlsform import form_id, xlsform

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _instrument(instrument_id: str, version: str | None) -> Instrument:
    try:
        return get_instrument(instrument_id, version)
    except (UnknownInstrumentError, UnknownVersionError) as exc:
        raise Http404(str(exc)) from exc


def _attachment(body: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_not_required
@require_GET
def instrument_xlsform(
    request: HttpRequest, instrument_id: str, version: str | None = None
) -> HttpResponse:
    instrument = _instrument(instrument_id, version)
    return _attachment(xlsform(instrument), XLSX, f"{form_id(instrument)}.xlsx")


@login_not_required
@require_GET
def instrument_redcap_dictionary(
    request: HttpRequest, instrument_id: str, version: str | None = None
) -> HttpResponse:
    instrument = _instrument(instrument_id, version)
    # The dictionary's cells pass through hopeful.cells.safe_cell (in redcap_dictionary).
    return _attachment(
        redcap_dictionary(instrument),
        "text/csv; charset=utf-8",
        f"{form_id(instrument)}_redcap_dictionary.csv",
    )
