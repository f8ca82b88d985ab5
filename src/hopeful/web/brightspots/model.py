"""What the bright-spots pages publish: the filters, one row per program (or organization)
and the result that holds them. Plain frozen dataclasses; nothing here computes."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hopeful.web.insights.model import ShownCount
from hopeful.web.insights.periods import Horizon, Period

#: The outcomes: the mean score (a linear model) or the share in the top group (logistic).
MEAN, TOP_BAND = "mean", "top_band"
OUTCOMES: dict[str, Promise] = {
    MEAN: _("Mean score"),
    TOP_BAND: _("Share in the top group"),
}

#: The family characteristics a model can be adjusted for, in the order of the checkboxes.
COVARIATES: dict[str, Promise] = {
    "income": _("Household income"),
    "race_ethnicity": _("Race or ethnicity"),
    "language": _("Language of the answers"),
    "child_age": _("Child's age"),
}

BETTER, WORSE, AS_EXPECTED = "better", "worse", "as_expected"


@dataclass(frozen=True, slots=True)
class BrightFilters:
    instrument_id: str
    outcome: str
    period: Period
    adjust: tuple[str, ...]
    """Keys of :data:`COVARIATES` chosen (possibly none)."""
    horizon: Horizon = field(default_factory=Horizon.current)

    @property
    def period_label(self) -> str:
        return self.horizon.label(self.period)


@dataclass(frozen=True, slots=True)
class UnitRow:
    """One program (or organization) as published."""

    label: str
    families: ShownCount
    """Families counted (their latest answer in the period), as the protection engine
    publishes the count."""
    compared: bool
    """False: too few families to compare (no estimate of its own, no number)."""
    observed: float | None = None
    expected: float | None = None
    difference: float | None = None
    """Observed minus expected, adjusted for the families' characteristics."""
    ci_low: float | None = None
    ci_high: float | None = None
    p_adjusted: float | None = None
    verdict: str = ""
    """:data:`BETTER`, :data:`WORSE` or :data:`AS_EXPECTED` ('' when not compared)."""
    odds_ratio: float | None = None
    or_ci_low: float | None = None
    or_ci_high: float | None = None


@dataclass(frozen=True)
class BrightResult:
    """The page's numbers for one set of filters."""

    filters: BrightFilters
    kind: str
    """``mean`` (a score, with :attr:`scale_max`) or ``proportion``."""
    threshold: int
    rows: list[UnitRow] = field(default_factory=list)
    """Compared units first (best difference first), then the ones with too few families."""
    families: ShownCount = field(default_factory=lambda: ShownCount(0))
    """Families counted in all, as published."""
    adjusted_for: tuple[str, ...] = ()
    """The characteristics the model adjusted for (keys of :data:`COVARIATES`): those chosen
    that vary among the families compared."""
    not_adjusted: tuple[str, ...] = ()
    """Characteristics chosen that the model could not adjust for (they could not be told
    apart from the units compared)."""
    fitted: bool = False
    """A model was fitted (at least two units to compare)."""
    reason: str = ""
    """Why there is no model ('' when there is one): ``no_answers``, ``too_few_units``,
    ``no_fit``."""
    scale_max: float = 1.0
    level: float = 0.95
    correction: str = "bh"
    pooled_other: bool = False
    """Units with too few families were left out of the fit (False) or pooled (True)."""
    elapsed_ms: float = 0.0
    """How long the fit took (for the performance notes; never rendered)."""

    @property
    def compared(self) -> list[UnitRow]:
        return [r for r in self.rows if r.compared]

    @property
    def too_few(self) -> list[UnitRow]:
        return [r for r in self.rows if not r.compared]

    @property
    def better(self) -> int:
        return sum(r.verdict == BETTER for r in self.rows)

    @property
    def worse(self) -> int:
        return sum(r.verdict == WORSE for r in self.rows)

    @property
    def adjusted_labels(self) -> list[str]:
        return [str(COVARIATES[k]) for k in self.adjusted_for]

    @property
    def not_adjusted_labels(self) -> list[str]:
        return [str(COVARIATES[k]) for k in self.not_adjusted]
