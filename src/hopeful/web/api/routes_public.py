"""``/api/v1/instruments``: the instrument registry, public like the instrument pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router

from hopeful.framework import UnknownInstrumentError, UnknownVersionError, get_instrument
from hopeful.web.api.schemas import InstrumentOut, Problem, all_instruments, instrument_out

router = Router(tags=["instruments"])


@router.get(
    "/instruments",
    response={200: list[InstrumentOut]},
    summary="Every instrument (current versions), with items, answer codes and outputs",
    url_name="instruments",
)
def instruments(request: HttpRequest) -> list[dict[str, Any]]:
    return [instrument_out(i) for i in all_instruments()]


@router.get(
    "/instruments/{instrument_id}",
    response={200: InstrumentOut, 404: Problem},
    summary="One instrument; ?version= for an earlier version",
    url_name="instrument",
)
def instrument(
    request: HttpRequest, instrument_id: str, version: str | None = None
) -> dict[str, Any]:
    try:
        return instrument_out(get_instrument(instrument_id, version))
    except (UnknownInstrumentError, UnknownVersionError):
        raise Http404 from None
