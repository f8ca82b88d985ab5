"""Exceptions raised by :mod:`hopeful.stats`."""

from __future__ import annotations

__all__ = ["DesignError", "EstimationError", "StatsError"]


class StatsError(Exception):
    """Base class of every error raised on purpose by the statistics engine."""


class DesignError(StatsError, ValueError):
    """The survey design is not usable: bad weights, strata, PSUs or fpc."""


class EstimationError(StatsError, ValueError):
    """An estimate cannot be computed from this variable (for example a non-binary outcome)."""
