"""Exceptions raised by :mod:`hopeful.framework`.

Every error the framework raises on bad input derives from :class:`HopefulError`, so callers
(the CLI, the web layer) can turn any of them into a clear message without catching
programming errors by accident.
"""

from __future__ import annotations

__all__ = [
    "AgeBandError",
    "DefinitionError",
    "GuideError",
    "GuideFileError",
    "HopefulError",
    "InstrumentError",
    "InvalidCodeError",
    "UnknownGuideEntryError",
    "UnknownGuideVersionError",
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


class GuideError(HopefulError):
    """A problem with the visit guide: its data files or a lookup in them."""


class GuideFileError(GuideError, ValueError):
    """A visit guide file is broken; the message names the file, block, band and item id.

    >>> str(GuideFileError("guide-2026.1.toml", "the 'es' text is empty",
    ...                    block="relationships", band="under_1", item_id="rel-u1-p2"))
    "guide-2026.1.toml: block 'relationships', band 'under_1', id 'rel-u1-p2': the 'es' text is empty"
    """

    def __init__(
        self,
        source: str,
        problem: str,
        *,
        block: str | None = None,
        band: str | None = None,
        item_id: str | None = None,
        position: str | None = None,
    ) -> None:
        self.source = source
        self.problem = problem
        self.block = block
        self.band = band
        self.item_id = item_id
        where = [f"block {block!r}"] if block is not None else []
        if band is not None:
            where.append(f"band {band!r}")
        if item_id is not None:
            where.append(f"id {item_id!r}")
        elif position is not None:
            where.append(position)
        place = f"{source}: {', '.join(where)}" if where else source
        super().__init__(f"{place}: {problem}")


class UnknownGuideVersionError(GuideError, LookupError):
    """No visit guide ships in the requested version."""

    def __init__(self, version: str, known: tuple[str, ...] = ()) -> None:
        self.version = version
        self.known = known
        hint = f" (known versions: {', '.join(known)})" if known else " (none ships)"
        super().__init__(f"there is no visit guide version {version!r}{hint}")


class UnknownGuideEntryError(GuideError, LookupError):
    """A visit guide has no building block, age band or item with this id."""


class AgeBandError(GuideError, ValueError):
    """A child's age band cannot be worked out from what was given (e.g. a future birth)."""
