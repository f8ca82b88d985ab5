"""What the analysis page shows, computed here so templates only format: estimate tables
with the NCHS flags in words, model tables, and a forest plot of each model's terms (inline
SVG: odds ratios on a log scale for logistic models, estimates otherwise)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

INK = "#1b1b1b"
MUTED = "#4d4d4d"
POINT = "#1d4f91"
GRID = "#c8c8c8"
REFERENCE = "#8a4b00"


def number(value: Any, digits: int = 4) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def flag_words(flags: str) -> list[str]:
    """The NCHS flags of a row, each said in words."""
    words = []
    for part in [p.strip() for p in (flags or "").split(";") if p.strip()]:
        if part.startswith("suppress:"):
            words.append(
                _("Not presented under the NCHS standard for proportions: %(reason)s.")
                % {"reason": part.removeprefix("suppress:").strip()}
            )
        elif "degrees of freedom" in part:
            words.append(
                _(
                    "Few degrees of freedom (%(flag)s): presented, but a statistician should "
                    "review it."
                )
                % {"flag": part}
            )
        elif "complement" in part:
            words.append(
                _("The complement (1 - p) is unreliable (%(flag)s): show it with care.")
                % {"flag": part}
            )
        elif "0% or 100%" in part:
            words.append(
                _("The estimate is 0% or 100%: presented, but a statistician should review it.")
            )
        else:
            words.append(part)
    return words


@dataclass
class EstimateTable:
    id: str
    kind: str
    variable: str
    label: str
    level: float
    rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ModelTable:
    id: str
    binomial: bool
    level: float
    rows: list[dict[str, Any]] = field(default_factory=list)
    chart: SafeString = field(default_factory=lambda: SafeString(""))
    chart_label: str = ""


def estimate_tables(results: dict[str, Any], levels: dict[str, float]) -> list[EstimateTable]:
    labels = results.get("variable_labels", {})
    tables: dict[str, EstimateTable] = {}
    for r in results.get("estimates", []):
        ident = str(r["id"])
        table = tables.get(ident)
        if table is None:
            variable = str(r["variable"])
            table = tables[ident] = EstimateTable(
                id=ident,
                kind=str(r["kind"]),
                variable=variable,
                label=str(labels.get(variable, "")),
                level=float(levels.get(ident, 0.95)),
            )
        suppressed = str(r.get("flags") or "").startswith("suppress:")
        table.rows.append(
            {
                "domain": r.get("domain") or _("everyone"),
                "level": r.get("level") or "",
                "estimate": number(r.get("estimate")),
                "ci": f"{number(r.get('ci_low'))} – {number(r.get('ci_high'))}",
                "se": number(r.get("se")),
                "n": number(r.get("n")),
                "df": number(r.get("df"), 0),
                "deff": number(r.get("deff"), 2),
                "flags": flag_words(str(r.get("flags") or "")),
                "suppressed": suppressed,
            }
        )
    return list(tables.values())


def model_tables(results: dict[str, Any], levels: dict[str, float]) -> list[ModelTable]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in results.get("models", []):
        groups.setdefault(str(r["id"]), []).append(r)
    tables = []
    for ident, records in groups.items():
        binomial = any(r.get("odds_ratio") is not None for r in records)
        level = float(levels.get(ident, 0.95))
        table = ModelTable(id=ident, binomial=binomial, level=level)
        for r in records:
            table.rows.append(
                {
                    "term": r["term"],
                    "estimate": number(r.get("estimate")),
                    "ci": f"{number(r.get('ci_low'))} – {number(r.get('ci_high'))}",
                    "se": number(r.get("se")),
                    "p": number(r.get("p")),
                    "odds_ratio": number(r.get("odds_ratio"), 3),
                    "or_ci": f"{number(r.get('or_low'), 3)} – {number(r.get('or_high'), 3)}",
                }
            )
        table.chart_label = (
            _(
                "Forest plot of model %(id)s: odds ratios of its terms with %(level)s%% "
                "confidence intervals, on a log scale; the line at 1 is no association. The "
                "table beside it has the same numbers."
            )
            if binomial
            else _(
                "Forest plot of model %(id)s: estimates of its terms with %(level)s%% "
                "confidence intervals; the line at 0 is no association. The table beside it "
                "has the same numbers."
            )
        ) % {"id": ident, "level": f"{level * 100:g}"}
        table.chart = forest_plot(records, binomial=binomial, label=table.chart_label)
        tables.append(table)
    return tables


def _triple(values: list[Any], *, log: bool) -> tuple[float, float, float] | None:
    """Three finite numbers (their logs when ``log``: odds ratios), else None."""
    numbers: list[float] = []
    for value in values:
        if not isinstance(value, int | float) or not math.isfinite(value):
            return None
        if log and value <= 0:
            return None
        numbers.append(math.log(value) if log else float(value))
    return numbers[0], numbers[1], numbers[2]


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def forest_plot(records: list[dict[str, Any]], *, binomial: bool, label: str) -> SafeString:
    """Each term a point with its interval; the intercept is left out (it is not an effect)."""
    terms: list[tuple[str, float, float, float]] = []
    for r in records:
        if str(r["term"]).lower() in ("intercept", "(intercept)"):
            continue
        keys = (
            ("odds_ratio", "or_low", "or_high") if binomial else ("estimate", "ci_low", "ci_high")
        )
        values = _triple([r.get(k) for k in keys], log=binomial)
        terms.append((str(r["term"]), *(values or (math.nan, math.nan, math.nan))))
    label_w, plot_w, row_h, top = 220, 300, 26, 28
    width = label_w + plot_w + 20
    height = top + row_h * max(len(terms), 1) + 24
    drawn = [t for t in terms if math.isfinite(t[1])]
    low = min([0.0, *[t[2] for t in drawn]])
    high = max([0.0, *[t[3] for t in drawn]])
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.05
    low, high = low - pad, high + pad

    def x(value: float) -> float:
        return label_w + plot_w * (value - low) / (high - low)

    def tick_text(value: float) -> str:
        return f"{math.exp(value):.2g}" if binomial else f"{value:.2g}"

    parts = [
        f'<svg class="forest-plot" role="img" aria-label="{escape(label)}" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="12">',
        f"<title>{escape(label)}</title>",
    ]
    for i in range(5):
        value = low + (high - low) * (i + 0.5) / 5
        parts.append(
            f'<line x1="{_n(x(value))}" y1="{top - 6}" x2="{_n(x(value))}" '
            f'y2="{height - 20}" stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{_n(x(value))}" y="{height - 6}" text-anchor="middle" fill="{MUTED}">'
            f"{escape(tick_text(value))}</text>"
        )
    ref = x(0.0)
    parts.append(
        f'<path class="reference" d="M{_n(ref)} {top - 10}V{height - 20}" stroke="{REFERENCE}" '
        'stroke-width="2" stroke-dasharray="6 3"/>'
        f'<text x="{_n(ref)}" y="{top - 14}" text-anchor="middle" fill="{REFERENCE}">'
        f"{'1' if binomial else '0'}</text>"
    )
    for i, (term, est, lo, hi) in enumerate(terms):
        mid = top + i * row_h + row_h / 2
        short = term if len(term) <= 32 else term[:31] + "…"
        parts.append(
            f'<text x="{label_w - 8}" y="{_n(mid + 4)}" text-anchor="end" fill="{INK}">'
            f"{escape(short)}</text>"
        )
        if not math.isfinite(est):
            parts.append(
                f'<text x="{label_w + 4}" y="{_n(mid + 4)}" fill="{MUTED}">'
                f"{escape(_('not drawn'))}</text>"
            )
            continue
        parts.append(
            f'<path d="M{_n(x(lo))} {_n(mid)}H{_n(x(hi))}M{_n(x(lo))} {_n(mid - 5)}'
            f'V{_n(mid + 5)}M{_n(x(hi))} {_n(mid - 5)}V{_n(mid + 5)}" stroke="{INK}" '
            'stroke-width="2" fill="none"/>'
            f'<circle class="forest-point" cx="{_n(x(est))}" cy="{_n(mid)}" r="5" '
            f'fill="{POINT}"/>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
