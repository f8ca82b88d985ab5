"""Response scales shared by several instrument definitions.

Every scale ends with the two missing options every instrument offers: 7 (don't know / not
sure) and 9 (prefer not to answer, "refused" in survey codebooks).
"""

from __future__ import annotations

from hopeful.framework.instruments.base import OptionKind, ResponseOption
from hopeful.framework.text import Text

__all__ = ["MISSING_OPTIONS", "scale"]

MISSING_OPTIONS: tuple[ResponseOption, ...] = (
    ResponseOption(
        7, Text(en="Don't know / not sure", es="No sé / no estoy seguro(a)"), OptionKind.MISSING
    ),
    ResponseOption(
        9, Text(en="Prefer not to answer", es="Prefiero no responder"), OptionKind.MISSING
    ),
)


def scale(*options: tuple[int, str, str]) -> tuple[ResponseOption, ...]:
    """Build a scale from ``(code, english, spanish)`` answers, then the missing options."""
    answers = tuple(ResponseOption(code, Text(en=en, es=es)) for code, en, es in options)
    return answers + MISSING_OPTIONS


YES_NO = scale((1, "Yes", "Sí"), (2, "No", "No"))

NEVER_TO_ALWAYS = scale(
    (1, "Never", "Nunca"),
    (2, "Rarely", "Rara vez"),
    (3, "Sometimes", "A veces"),
    (4, "Usually", "Casi siempre"),
    (5, "Always", "Siempre"),
)

#: BRFSS ACEADSAF / ACEADNED scale ("for how much of your childhood").
NEVER_TO_ALL_OF_THE_TIME = scale(
    (1, "Never", "Nunca"),
    (2, "A little of the time", "Un poco del tiempo"),
    (3, "Some of the time", "Parte del tiempo"),
    (4, "Most of the time", "La mayor parte del tiempo"),
    (5, "All of the time", "Todo el tiempo"),
)

#: BRFSS ACE frequency items.
NEVER_ONCE_MORE = scale(
    (1, "Never", "Nunca"),
    (2, "Once", "Una vez"),
    (3, "More than once", "Más de una vez"),
)

#: NSCH flourishing items ("How often ...").
ALWAYS_TO_NEVER = scale(
    (1, "Always", "Siempre"),
    (2, "Usually", "Casi siempre"),
    (3, "Sometimes", "A veces"),
    (4, "Never", "Nunca"),
)

#: NSCH family resilience items.
ALL_TO_NONE_OF_THE_TIME = scale(
    (1, "All of the time", "Todo el tiempo"),
    (2, "Most of the time", "La mayor parte del tiempo"),
    (3, "Some of the time", "Parte del tiempo"),
    (4, "None of the time", "Nunca"),
)
