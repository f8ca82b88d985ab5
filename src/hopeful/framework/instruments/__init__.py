"""The instrument registry and the built-in instrument definitions.

Importing this package registers the built-in instruments, each defined in its own module
through :func:`register`, the same function any later instrument uses.
"""

from __future__ import annotations

from hopeful.framework.instruments import (  # noqa: F401 - imported to register them
    ace_brfss,
    bce10,
    nsch_family_resilience,
    nsch_flourishing,
    pce7,
)
from hopeful.framework.instruments.base import (
    MISSING_CODES,
    AgeRange,
    AllMet,
    Audience,
    Band,
    Count,
    Indicator,
    Instrument,
    Item,
    OptionKind,
    Output,
    ResponseOption,
    ScoringOption,
    Translation,
    TranslationStatus,
)
from hopeful.framework.instruments.registry import get_instrument, list_instruments, register

__all__ = [
    "MISSING_CODES",
    "AgeRange",
    "AllMet",
    "Audience",
    "Band",
    "Count",
    "Indicator",
    "Instrument",
    "Item",
    "OptionKind",
    "Output",
    "ResponseOption",
    "ScoringOption",
    "Translation",
    "TranslationStatus",
    "get_instrument",
    "list_instruments",
    "register",
]
