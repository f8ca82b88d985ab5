"""The instrument registry: every instrument, built-in or added later, registers here."""

from __future__ import annotations

from hopeful.framework.errors import DefinitionError, UnknownInstrumentError, UnknownVersionError
from hopeful.framework.instruments.base import Instrument

__all__ = ["get_instrument", "list_instruments", "register", "version_key"]

_REGISTRY: dict[str, dict[str, Instrument]] = {}


def version_key(version: str) -> tuple[int, ...]:
    """Sort key for dotted numeric versions (``"1.10"`` sorts after ``"1.9"``)."""
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        raise DefinitionError(f"version {version!r} is not dotted numbers like '1.0'") from None


def register(instrument: Instrument) -> Instrument:
    """Add an instrument definition to the registry and return it.

    Registering the same ``(id, version)`` twice is allowed only with an identical definition
    (module reloads); a different definition under a used key is a :class:`DefinitionError`,
    because stored responses must always be re-scorable under the version they name.
    """
    version_key(instrument.version)
    versions = _REGISTRY.setdefault(instrument.id, {})
    existing = versions.get(instrument.version)
    if existing is not None and existing != instrument:
        raise DefinitionError(
            f"instrument {instrument.id} {instrument.version} is already registered differently"
        )
    versions[instrument.version] = instrument
    return instrument


def get_instrument(instrument_id: str, version: str | None = None) -> Instrument:
    """Return a registered instrument, the latest version unless ``version`` is given.

    Raises
    ------
    UnknownInstrumentError
        No instrument has this id.
    UnknownVersionError
        The instrument exists but not in ``version``.
    """
    versions = _REGISTRY.get(instrument_id)
    if not versions:
        raise UnknownInstrumentError(instrument_id, tuple(sorted(_REGISTRY)))
    if version is None:
        return versions[max(versions, key=version_key)]
    try:
        return versions[version]
    except KeyError:
        known = tuple(sorted(versions, key=version_key))
        raise UnknownVersionError(instrument_id, version, known) from None


def list_instruments(*, all_versions: bool = False) -> tuple[Instrument, ...]:
    """Registered instruments sorted by id: the latest version of each, or every version."""
    result: list[Instrument] = []
    for instrument_id in sorted(_REGISTRY):
        versions = _REGISTRY[instrument_id]
        ordered = sorted(versions, key=version_key)
        chosen = ordered if all_versions else ordered[-1:]
        result.extend(versions[v] for v in chosen)
    return tuple(result)
