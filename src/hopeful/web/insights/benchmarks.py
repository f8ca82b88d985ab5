"""Published population figures shown beside an organization's own numbers.

Source: Positive childhood experiences in four states, BRFSS 2015-2021, MMWR Morb Mortal Wkly
Rep 2024;73(17) (adults' retrospective reports; see ``shared/spec/instruments.md``). They
describe adults in four states, not the families of a program, so the page labels them as
published figures for comparison, never as targets.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

CITATION = _(
    "Published figures: adults in four states, BRFSS 2015–2021 "
    "(MMWR 2024;73(17)). They describe a population, not your program."
)
SOURCE_SHORT = _("MMWR 2024, four states")
SOURCE_LONG = _(
    "Adults in Kansas, Montana, South Carolina and Wisconsin, BRFSS 2015–2021 "
    "(Sege et al., MMWR 2024;73(17))"
)


@dataclass(frozen=True, slots=True)
class Benchmark:
    """A published share (``value``) or a published range of shares (``low``-``high``)."""

    value: float | None = None
    low: float | None = None
    high: float | None = None


#: pce7 band -> share of adults (6-7 PCEs 53.1%, 0-2 PCEs 12.2%).
PCE7_BANDS: dict[str, Benchmark] = {
    "6-7": Benchmark(value=0.531),
    "0-2": Benchmark(value=0.122),
}

#: Single PCE items ranged from 59.5% (community traditions) to 90.5% (safe adult at home).
PCE7_ITEM_RANGE = Benchmark(low=0.595, high=0.905)
PCE7_ITEMS: dict[str, Benchmark] = {
    "pce3": Benchmark(value=0.595),
    "pce7": Benchmark(value=0.905),
}


def for_band(instrument_id: str, band: str) -> Benchmark | None:
    if instrument_id != "pce7":
        return None
    return PCE7_BANDS.get(band)


def for_item(instrument_id: str, item_id: str) -> Benchmark | None:
    if instrument_id != "pce7":
        return None
    return PCE7_ITEMS.get(item_id)
