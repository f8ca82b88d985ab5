"""Exceptions raised by :mod:`hopeful.framework`.

Every error the framework raises on bad input derives from :class:`HopefulError`, so callers
(the CLI, the web layer) can turn any of them into a clear message without catching
programming errors by accident.
"""

from __future__ import annotations

__all__ = [
    "DefinitionError",
    "HopefulError",
    "InstrumentError",
    "InvalidCodeError",
    "UnknownInstrumentError",
    "UnknownItemError",
    "UnknownLanguageError",
    "UnknownVersionError",
]


class HopefulError(Exception):
    """Base class of every error raised on purpose by HOPEful's pure core."""


class InstrumentError(HopefulError):
    """A problem with an instrument, its items or the answers given to it."""


class DefinitionError(InstrumentError):
    """An instrument definition is inconsistent (raised when it is registered)."""


class UnknownInstrumentError(InstrumentError, LookupError):
    """No instrument is registered under this id."""

    def __init__(self, instrument_id: str, known: tuple[str, ...] = ()) -> None:
        self.instrument_id = instrument_id
        self.known = known
        hint = f" (known: {', '.join(known)})" if known else ""
        super().__init__(f"unknown instrument {instrument_id!r}{hint}")


class UnknownVersionError(InstrumentError, LookupError):
    """The instrument exists but not in the requested version."""

    def __init__(self, instrument_id: str, version: str, known: tuple[str, ...] = ()) -> None:
        self.instrument_id = instrument_id
        self.version = version
        self.known = known
        hint = f" (known versions: {', '.join(known)})" if known else ""
        super().__init__(f"instrument {instrument_id!r} has no version {version!r}{hint}")


class UnknownItemError(InstrumentError, LookupError):
    """An answer names an item that the instrument does not have."""

    def __init__(self, instrument_id: str, item_id: str) -> None:
        self.instrument_id = instrument_id
        self.item_id = item_id
        super().__init__(f"instrument {instrument_id!r} has no item {item_id!r}")


class UnknownLanguageError(InstrumentError, LookupError):
    """The instrument has no text in the requested language."""

    def __init__(self, instrument_id: str, language: str, known: tuple[str, ...] = ()) -> None:
        self.instrument_id = instrument_id
        self.language = language
        hint = f" (available: {', '.join(known)})" if known else ""
        super().__init__(f"instrument {instrument_id!r} has no {language!r} text{hint}")


class InvalidCodeError(InstrumentError, ValueError):
    """An answer code is not one of the item's response codes."""

    def __init__(self, item_id: str, value: object, valid: tuple[int, ...]) -> None:
        self.item_id = item_id
        self.value = value
        self.valid = valid
        codes = ", ".join(str(c) for c in valid)
        super().__init__(f"code {value!r} is not valid for item {item_id} (valid codes: {codes})")
