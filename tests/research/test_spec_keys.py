"""The newer spec keys, valid and invalid: quantile and ratio estimates, ``[[test]]`` tables,
replicate designs (``[design.replicates]``, ``[design] replicate``) and ``[calibrate]``.

Each bad spec is small and written literally, so the expected line can be read off it (the
prefix ``[data]`` / ``path = ...`` is lines 1-2).
"""

from __future__ import annotations

from types import MappingProxyType

import pytest

from hopeful.research.spec import Spec, SpecError
from tests.research.brfss import parse

DATA = '[data]\npath = "x.csv"\n'
MEAN = '[[estimate]]\nkind = "mean"\nvariable = "y"\n'


def error_of(text: str) -> SpecError:
    with pytest.raises(SpecError) as caught:
        parse(text)
    return caught.value


def check(body: str, line: int, words: str) -> None:
    err = error_of(DATA + body)
    assert (err.line, words in err.problem) == (line, True), str(err)


def test_a_quantile_reads_probs_interval_and_qrule() -> None:
    spec = parse(
        DATA + '[[estimate]]\nkind = "quantile"\nvariable = "y"\nprobs = [0.25, 0.5, 0.75]\n'
        'interval = "xlogit"\nqrule = "hf8"\nby = ["g"]\n'
    )
    (est,) = spec.estimates
    assert (est.kind, est.probs, est.interval, est.qrule) == (
        "quantile",
        (0.25, 0.5, 0.75),
        "xlogit",
        "hf8",
    )
    default = parse(DATA + '[[estimate]]\nkind = "quantile"\nvariable = "y"\nprobs = 0.9\n')
    assert (default.estimates[0].probs, default.estimates[0].interval) == ((0.9,), "mean")
    assert default.estimates[0].qrule == "math"
    median = parse(DATA + '[[estimate]]\nkind = "quantile"\nvariable = "y"\n').estimates[0]
    assert median.probs == (0.5,)


def test_a_ratio_reads_its_denominator_as_a_column() -> None:
    spec = parse(DATA + '[[estimate]]\nkind = "ratio"\nvariable = "y"\ndenominator = "x"\n')
    assert spec.estimates[0].denominator == "x"
    assert ("x", 6) in spec.references


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ('[[estimate]]\nkind = "quantile"\nvariable = "y"\ninterval = "wald"\n', 6, 'interval "wald" is not one of mean, beta, xlogit, asin, score'),
        ('[[estimate]]\nkind = "quantile"\nvariable = "y"\nqrule = "hf10"\n', 6, 'qrule "hf10" is not one of math, hf1'),
        ('[[estimate]]\nkind = "quantile"\nvariable = "y"\nprobs = [0.5, 1]\n', 6, "probabilities between 0 and 1"),
        ('[[estimate]]\nkind = "quantile"\nvariable = "y"\nprobs = [0]\n', 6, "(not 0 or 1)"),
        ('[[estimate]]\nkind = "quantile"\nvariable = "y"\nprobs = []\n', 6, "probs [] must be"),
        ('[[estimate]]\nkind = "quantile"\nvariable = "y"\nprobs = ["a"]\n', 6, "must be probabilities"),
        ('[[estimate]]\nkind = "quantile"\nvariable = "y"\nprobs = [0.5, 0.5]\n', 6, "names a probability twice"),
        ('[[estimate]]\nkind = "quantile"\nvariable = "y"\nci = "wald"\n', 6, "ci is for proportions only (a quantile's interval"),
        ('[[estimate]]\nkind = "mean"\nvariable = "y"\nprobs = [0.5]\n', 6, 'probs is for kind = "quantile" only'),
        ('[[estimate]]\nkind = "proportion"\nvariable = "y"\ninterval = "beta"\n', 6, 'interval is for kind = "quantile" only'),
        ('[[estimate]]\nkind = "total"\nvariable = "y"\n\nqrule = "math"\n', 7, 'qrule is for kind = "quantile" only'),
        ('[[estimate]]\nkind = "ratio"\nvariable = "y"\n', 3, "denominator is missing"),
        ('[[estimate]]\nkind = "ratio"\nvariable = "y"\ndenominator = 2\n', 6, "denominator must be text"),
        ('[[estimate]]\nkind = "ratio"\nvariable = "y"\ndenominator = "x"\nci = "wald"\n', 7, "ci is for proportions only"),
        ('[[estimate]]\nkind = "mean"\nvariable = "y"\ndenominator = "x"\n', 6, 'denominator is for kind = "ratio" only'),
        ('[[estimate]]\nkind = "ratio"\nvariable = "y"\ndenominater = "x"\n', 6, "did you mean 'denominator'?"),
        ('[[estimate]]\nkind = "quantile"\nvariable = "y"\nprob = [0.5]\n', 6, "did you mean 'probs'?"),
    ],
)  # fmt: skip
def test_a_bad_quantile_or_ratio_key_names_its_line(body: str, line: int, words: str) -> None:
    check(body, line, words)


def test_a_test_table_reads_row_col_and_statistic() -> None:
    spec = parse(
        DATA + '[[test]]\nkind = "chisq"\nrow = "a"\ncol = "b"\n'
        '[[test]]\nid = "w"\nkind = "chisq"\nrow = "a"\ncol = "c"\nstatistic = "adjWald"\n'
    )
    first, second = spec.tests
    assert (first.id, first.row, first.col, first.statistic, first.line) == (
        "test-1",
        "a",
        "b",
        "F",
        3,
    )
    assert (second.id, second.statistic) == ("w", "adjWald")
    assert ("c", 11) in spec.references
    assert (spec.estimates, spec.models) == ((), ())


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ('[[test]]\nkind = "t"\nrow = "a"\ncol = "b"\n', 4, 'kind "t" is not one of chisq'),
        ('[[test]]\nrow = "a"\ncol = "b"\n', 3, "kind (missing) is not one of chisq"),
        ('[[test]]\nkind = "chisq"\ncol = "b"\n', 3, "row is missing"),
        ('[[test]]\nkind = "chisq"\nrow = "a"\ncol = ["b"]\n', 6, "col must be text"),
        ('[[test]]\nkind = "chisq"\nrow = "a"\ncol = "a"\n', 6, "row and col must be two columns"),
        ('[[test]]\nkind = "chisq"\nrow = "a"\ncol = "b"\nstatistic = "LRT"\n', 7, 'statistic "LRT" is not one of F, Chisq, Wald, adjWald'),
        ('[[test]]\nkind = "chisq"\nrow = "a"\ncol = "b"\nlevel = 0.9\n', 7, "[[test]] has no key 'level'"),
        ('[test]\nkind = "chisq"\n', 3, "write each test as a [[test]] table"),
        (MEAN + '[[test]]\nid = "estimate-1"\nkind = "chisq"\nrow = "a"\ncol = "b"\n', 6, "id 'estimate-1' is used twice (also line 3)"),
    ],
)  # fmt: skip
def test_a_bad_test_names_its_line(body: str, line: int, words: str) -> None:
    check(body, line, words)


# -- replicate designs and calibration ---------------------------------------------------------


def test_replicates_read_a_list_or_a_pattern() -> None:
    spec = parse(
        DATA + '[design.replicates]\nweights = "w"\nreplicate_weights = ["r1", "r2", "r3"]\n'
        'type = "JK1"\nscale = 0.5\nrscales = 1\nmse = true\n' + MEAN
    )
    r = spec.design.replicates
    assert r is not None
    assert (r.weights, r.columns, r.pattern, r.type, r.scale, r.rscales, r.mse, r.line) == (
        "w",
        ("r1", "r2", "r3"),
        None,
        "JK1",
        0.5,
        (1.0,),
        True,
        3,
    )
    assert spec.design.weights == "w"
    assert spec.design.uses_replicates
    assert ("r2", 5) in spec.references
    fay = parse(
        DATA + '[design.replicates]\nreplicate_weights = "^REPWT[0-9]+$"\ntype = "Fay"\n'
        "rho = 0.3\n" + MEAN
    ).design.replicates
    assert fay is not None
    assert (fay.pattern, fay.columns, fay.rho, fay.weights) == ("^REPWT[0-9]+$", (), 0.3, None)


def test_replicate_converts_strata_and_psus() -> None:
    jkn = parse(DATA + '[design]\npsu = "p"\nstrata = "s"\nreplicate = "JKn"\n' + MEAN).design
    assert jkn.replicate is not None
    assert (jkn.replicate.type, jkn.replicate.line, jkn.psu) == ("JKn", 6, ("p",))
    boot = parse(
        DATA + '[design]\npsu = "p"\n'
        'replicate = { type = "bootstrap", replicates = 200, seed = 7, mse = true }\n' + MEAN
    ).design.replicate
    assert boot is not None
    assert (boot.type, boot.replicates, boot.seed, boot.mse, boot.rho) == (
        "bootstrap",
        200,
        7,
        True,
        None,
    )


R = '[design.replicates]\nreplicate_weights = ["r1", "r2"]\n'


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        (R + 'type = "jk1"\n', 5, 'type "jk1" is not one of JK1, JKn, BRR, Fay, bootstrap'),
        (R, 3, "type (missing) is not one of"),
        ('[design.replicates]\ntype = "JK1"\n', 3, "replicate_weights must be a list of columns or a pattern"),
        ('[design.replicates]\ntype = "JK1"\nreplicate_weights = []\n', 5, "must be a list of columns"),
        ('[design.replicates]\ntype = "JK1"\nreplicate_weights = "rep[0-9"\n', 5, "is no pattern"),
        (R + 'type = "JK1"\nscale = -1\n', 6, "scale must be a positive number"),
        (R + 'type = "JK1"\nrscales = [1, "a"]\n', 6, "rscales must be a number or a list"),
        (R + 'type = "BRR"\nscale = 0.5\n', 6, 'type "BRR" sets scale and rscales itself'),
        (R + 'type = "JKn"\n', 5, 'type "JKn" needs rscales'),
        (R + 'type = "Fay"\n', 5, 'type "Fay" needs rho'),
        (R + 'type = "Fay"\nrho = 1.5\n', 6, "rho 1.5 must be between 0 and 1"),
        (R + 'type = "JK1"\nrho = 0.5\n', 6, 'rho is for type "Fay" only'),
        (R + 'type = "JK1"\nmse = "yes"\n', 6, "mse must be true or false"),
        (R + 'type = "JK1"\nweight = "w"\n', 6, "did you mean 'weights'?"),
        ('[design]\nweights = "w"\n' + R + 'type = "JK1"\n', 4, "weights cannot be combined with [design.replicates]"),
        ('[design]\nreplicate = "JK2"\n', 4, 'replicate type "JK2" is not one of JK1, JKn, BRR, Fay, bootstrap'),
        ('[design]\nreplicate = 3\n', 4, "must be a type such as"),
        ('[design]\nreplicate = { type = "bootstrap" }\n', 4, "give seed = <a whole number >= 0>"),
        ('[design]\nreplicate = { type = "JK1", seed = 1 }\n', 4, 'seed is for type "bootstrap" only'),
        ('[design]\nreplicate = { type = "bootstrap", seed = 1, replicates = 1 }\n', 4, "at least 2"),
        ('[design]\nreplicate = { type = "Fay" }\n', 4, 'type "Fay" needs rho'),
        ('[design]\nreplicate = { type = "JK1", rh = 1 }\n', 4, "did you mean 'rho'?"),
    ],
)  # fmt: skip
def test_a_bad_replicate_design_names_its_line(body: str, line: int, words: str) -> None:
    check(body + MEAN, line, words)


@pytest.mark.parametrize(
    ("design", "body", "line"),
    [
        (R + 'type = "JK1"\n', '[[estimate]]\nkind = "quantile"\nvariable = "y"\n', 7),
        (R + 'type = "JK1"\n', '[[estimate]]\nvariable = "y"\nkind = "ratio"\ndenominator = "x"\n', 8),
        ('[design]\nreplicate = "JK1"\n', '[[test]]\nkind = "chisq"\nrow = "a"\ncol = "b"\n', 6),
    ],
)  # fmt: skip
def test_replicate_designs_refuse_what_they_cannot_run_yet(
    design: str, body: str, line: int
) -> None:
    check(design + body, line, "cannot run on replicate weights yet")


def test_calibrate_reads_margins_of_population_counts() -> None:
    spec = parse(
        DATA + '[design]\nweights = "w"\n\n[calibrate]\nmethod = "raking"\n\n'
        "[calibrate.margins.sex]\n1 = 1500000\n2 = 1600000\n\n"
        '[calibrate.margins.age]\n"18-29" = 1000000\n30-64 = 1500000\n"65+" = 600000\n' + MEAN
    )
    cal = spec.calibrate
    assert cal is not None
    assert (cal.method, cal.line) == ("raking", 6)
    assert cal.margins == MappingProxyType(
        {
            "sex": {"1": 1500000.0, "2": 1600000.0},
            "age": {"18-29": 1000000.0, "30-64": 1500000.0, "65+": 600000.0},
        }
    )
    assert ("sex", 9) in spec.references
    numeric = parse(
        DATA
        + '[calibrate]\nmethod = "linear"\nmargins = { income = 5e9, sex = { 1 = 10 } }\n'
        + MEAN
    ).calibrate
    assert numeric is not None
    assert numeric.margins["income"] == 5e9


C = '[calibrate]\nmethod = "poststratify"\n'


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ('[calibrate]\nmethod = "rake"\n[calibrate.margins.sex]\n1 = 1\n', 4, 'method "rake" is not one of linear, raking, poststratify'),
        ("[calibrate]\n[calibrate.margins.sex]\n1 = 1\n", 3, "method (missing) is not one of"),
        (C, 3, "needs margins"),
        (C + "[calibrate.margins.sex]\n1 = 0\n", 6, "the population count of sex = 1 must be a positive number"),
        (C + '[calibrate.margins.sex]\n1 = 10\n2 = "many"\n', 7, "sex = 2 must be a positive number"),
        (C + "[calibrate.margins]\nincome = 5e9\n", 6, "poststratify needs the count of each level of 'income'"),
        (C + "[calibrate.margins.sex]\n1 = 10\n[calibrate.margins.age]\n1 = 10\n", 3, "poststratify takes one margin (has 2)"),
        (C + '[calibrate.margins]\nsex = "all"\n', 6, "margin 'sex' must be a table of population counts"),
        (C + "margin = 1\n", 5, "did you mean 'margins'?"),
        ('[design.replicates]\nreplicate_weights = ["r"]\ntype = "JK1"\n' + C + "[calibrate.margins.sex]\n1 = 1\n", 6, "calibrating replicate weights is not supported"),
    ],
)  # fmt: skip
def test_a_bad_calibration_names_its_line(body: str, line: int, words: str) -> None:
    check(body + MEAN, line, words)


def test_a_spec_with_only_tests_is_enough() -> None:
    spec: Spec = parse(DATA + '[[test]]\nkind = "chisq"\nrow = "a"\ncol = "b"\n')
    assert len(spec.tests) == 1
