from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from hopeful.framework import UnknownInstrumentError, UnknownVersionError, get_instrument
from hopeful.interop.fhir import questionnaire_id
from hopeful.web.instruments.selectors import instrument_page, instrument_summaries


@login_not_required
@require_GET
def instrument_list(request: HttpRequest) -> HttpResponse:
    instruments = instrument_summaries(language=get_language() or "en")
    return render(request, "instruments/list.html", {"instruments": instruments})


@login_not_required
@require_GET
def instrument_detail(
    request: HttpRequest, instrument_id: str, version: str | None = None
) -> HttpResponse:
    try:
        page = instrument_page(
            instrument_id=instrument_id, version=version, language=get_language() or "en"
        )
    except (UnknownInstrumentError, UnknownVersionError) as exc:
        raise Http404(str(exc)) from exc
    fhir_id = questionnaire_id(get_instrument(page.id, page.version))
    return render(request, "instruments/detail.html", {"page": page, "fhir_id": fhir_id})
