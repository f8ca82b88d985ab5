"""Analysis specs: parsing into frozen dataclasses, and errors that name the line.

Each bad spec is small and written literally, so the expected line number can be read off it.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from hopeful.research.spec import SourceLines, Spec, SpecError, load_spec, parse_spec

GOOD = """\
# a comment line
[data]
path = "LLCP2022.XPT"
columns = ["SEXVAR"]

[data.missing]
ADDEPEV3 = [7, 9]
"_AGEG5YR" = [14]

[design]
weights = "_LLCPWT"
strata = "_STSTR"
psu = "_PSU"
lonely_psu = "adjust"

[recode.pce_score]
sum = ["PCE1", "PCE2", "PCE3"]
missing = "all"
missing_codes = [7, 9]

[recode.pce_band]
cut = "pce_score"
breaks = [0, 2, 4]
labels = ["0-1", "2-3"]

[recode.depressed]
map = "ADDEPEV3"
values = { 1 = 1, 2 = 0 }

[[estimate]]
kind = "proportion"
variable = "depressed"
by = ["pce_band", "SEXVAR"]
ci = "korn-graubard"

[[estimate]]
id = "mean-score"
kind = "mean"
variable = "pce_score"
level = 0.9

[[model]]
family = "binomial"
formula = "depressed ~ C(pce_band) + C(SEXVAR)"
reference = { pce_band = "2-3" }
"""


def parse(text: str) -> Spec:
    return parse_spec(text, Path("/data/spec.toml"))


def error_of(text: str) -> SpecError:
    with pytest.raises(SpecError) as caught:
        parse(text)
    return caught.value


def test_it_parses_a_full_spec_into_frozen_dataclasses() -> None:
    spec = parse(GOOD)
    assert spec.data.path == Path("/data/LLCP2022.XPT")
    assert spec.data.columns == ("SEXVAR",)
    assert dict(spec.data.missing) == {"ADDEPEV3": (7, 9), "_AGEG5YR": (14,)}
    assert spec.design.weights == "_LLCPWT"
    assert spec.design.psu == ("_PSU",)
    assert spec.design.lonely_psu == "adjust"
    assert [r.name for r in spec.recodes] == ["pce_score", "pce_band", "depressed"]
    assert spec.recodes[0].missing == "all"
    assert spec.recodes[0].missing_codes == (7, 9)
    assert spec.recodes[1].breaks == (0.0, 2.0, 4.0)
    assert dict(spec.recodes[2].values) == {"1": 1, "2": 0}
    first, second = spec.estimates
    assert (first.id, first.kind, first.by, first.ci, first.level) == (
        "estimate-1",
        "proportion",
        ("pce_band", "SEXVAR"),
        "korn-graubard",
        0.95,
    )
    assert (second.id, second.level, second.line) == ("mean-score", 0.9, 36)
    (model,) = spec.models
    assert model.variables == ("SEXVAR", "depressed", "pce_band")
    assert dict(model.reference) == {"pce_band": "2-3"}
    assert model.line == 42
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.design.weights = "other"  # type: ignore[misc]


def test_it_remembers_the_line_of_every_column_it_names() -> None:
    refs: dict[str, int] = {}
    for name, line in parse(GOOD).references:
        refs.setdefault(name, line)
    assert refs["_LLCPWT"] == 11
    assert refs["_AGEG5YR"] == 8
    assert refs["PCE1"] == 17
    assert refs["ADDEPEV3"] == 7  # first mention: [data.missing]


def test_an_error_message_names_the_file_and_the_line() -> None:
    text = '[data]\npath = "x.csv"\n\n[[estimate]]\nkind = "median"\nvariable = "y"\n'
    err = error_of(text)
    assert err.line == 5
    assert str(err) == (
        'spec.toml, line 5: [[estimate]] kind "median" is not one of mean, total, proportion, '
        "quantile, ratio"
    )


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ('[[estimate]]\nvariable = "y"\n', 3, "kind (missing) is not one of"),
        ('[[estimate]]\nkind = "mean"\n', 3, "variable is missing"),
        ('[[estimate]]\nkind = "mean"\nvariable = "y"\nci = "wald"\n', 6, "for proportions only"),
        (
            '[[estimate]]\nkind = "proportion"\nvariable = "y"\n\nci = "exact"\n',
            7,
            'ci "exact" is not one of korn-graubard, logit, wald',
        ),
        ('[[estimate]]\nkind = "mean"\nvariable = "y"\nlevel = 95\n', 6, "between 0 and 1"),
        ('[[estimate]]\nkind = "mean"\nvariable = "y"\nby = [1]\n', 6, "by must be a column"),
        ('[[estimate]]\nkind = "mean"\nvarible = "y"\n', 5, "did you mean 'variable'?"),
        (
            '[[estimate]]\nkind = "mean"\nvariable = "y"\n[[estimate]]\nkind = "sum"\n',
            7,
            'kind "sum"',
        ),
        (
            '[[estimate]]\nid = "a"\nkind = "mean"\nvariable = "y"\n'
            '[[estimate]]\nid = "a"\nkind = "mean"\nvariable = "y"\n',
            7,
            "id 'a' is used twice (also line 3)",
        ),
    ],
)
def test_a_bad_estimate_names_its_line(body: str, line: int, words: str) -> None:
    err = error_of('[data]\npath = "x.csv"\n' + body)
    assert err.line == line, str(err)
    assert words in str(err)


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ('[[model]]\nfamily = "poisson"\nformula = "y ~ x"\n', 4, "'poisson' is not supported yet"),
        ('[[model]]\nfamily = "logit"\nformula = "y ~ x"\n', 4, 'family "logit" is not one of'),
        ('[[model]]\nfamily = "gaussian"\nformula = "y + x"\n', 5, "needs an outcome"),
        ('[[model]]\nfamily = "gaussian"\nformula = "y ~ (x"\n', 5, "cannot read the formula"),
        (
            '[[model]]\nfamily = "binomial"\nformula = "y ~ x"\n[model.reference]\nz = 1\n',
            7,
            "reference names 'z', not in the formula",
        ),
    ],
)
def test_a_bad_model_names_its_line(body: str, line: int, words: str) -> None:
    err = error_of('[data]\npath = "x.csv"\n' + body)
    assert err.line == line, str(err)
    assert words in str(err)


ESTIMATE = '[[estimate]]\nkind = "mean"\nvariable = "y"\n'


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ('[design]\nweights = "w"\nlonely_psu = "drop"\n', 5, "lonely_psu 'drop' is not one of"),
        ('[design]\nweigths = "w"\n', 4, "did you mean 'weights'?"),
        ('[design]\nnest = "yes"\n', 4, "nest must be true or false"),
        ("[design]\nweights = 3\n", 4, "weights must be text"),
        ("[data.missing]\nGENHLTH = 7\n", 4, "must be a list of codes"),
        ('[recode.x]\ncut = "a"\nbreaks = [0, 5]\nlabels = ["a", "b"]\n', 6, "needs 1 labels"),
        ('[recode.x]\ncut = "a"\nbreaks = [5, 0]\nlabels = ["a"]\n', 5, "breaks must increase"),
        ('[recode.x]\ncut = "a"\nmap = "b"\n', 3, "exactly one of cut, map, sum (has 2)"),
        ("[recode.x]\nbreaks = [1, 2]\n", 3, "exactly one of cut, map, sum (has 0)"),
        ('[recode.x]\nsum = ["a", "b"]\nmissing = "some"\n', 5, 'is not "any"'),
        ('[recode.x]\nmap = "a"\nmissing = [7]\n', 5, "missing_codes = [...]"),
        ('[recode.x]\nmap = "a"\nvalues = { 1 = "a", 2 = 0 }\n', 5, "not a mix"),
        ('[recode.x]\nmap = ["a", "b"]\nvalues = { 1 = 1 }\n', 4, "map names one column"),
        ('[recode."a b"]\nmap = "a"\nvalues = { 1 = 1 }\n', 3, "letters, digits and _"),
        ("[tables]\nx = 1\n", 3, "the spec has no key 'tables'"),
        ('[data]\npath = "y.csv"\n', 3, "Cannot declare"),
    ],
)
def test_a_bad_table_names_its_line(body: str, line: int, words: str) -> None:
    err = error_of('[data]\npath = "x.csv"\n' + body + ESTIMATE)
    assert err.line == line, str(err)
    assert words in str(err)


def test_a_spec_without_data_or_work_says_so() -> None:
    assert "no [data] table" in str(error_of(ESTIMATE))
    assert "asks for nothing" in str(error_of('[data]\npath = "x.csv"\n'))


def test_invalid_toml_names_the_line_of_the_syntax_error() -> None:
    err = error_of('[data]\npath = "x.csv"\n\n[design]\nweights = _LLCPWT\n')
    assert err.line == 5
    assert err.problem.startswith("not valid TOML: Invalid value")
    assert "(at line" not in err.problem


def test_source_lines_find_tables_keys_and_inline_tables() -> None:
    lines = SourceLines(
        '[data]\npath = "x"\nmissing = { A = [7] }\n\n[[estimate]]\nkind = "mean"\n'
        '[[estimate]]\n  "kind" = "total"  # quoted key, indented\n[recode.b]\ncut = "a"\n'
    )
    assert lines.table("data") == 1
    assert lines.key("data", "missing") == 3
    assert lines.key("data", "missing", "A") == 3  # inline table: the line of its key
    assert lines.key("estimate", 0, "kind") == 6
    assert lines.key("estimate", 1, "kind") == 8
    assert lines.table("estimate", 1) == 7
    assert lines.key("recode", "b", "cut") == 10
    assert lines.table("recode") == 9  # implicit parent: its first sub-table
    assert lines.key("design", "weights") == 1  # absent: the first line


def test_load_spec_reads_the_file_and_hashes_its_bytes(tmp_path: Path) -> None:
    path = tmp_path / "spec.toml"
    path.write_text(GOOD, encoding="utf-8")
    spec = load_spec(path)
    assert spec.data.path == tmp_path / "LLCP2022.XPT"
    assert len(spec.sha256) == 64
    assert spec.sha256 == load_spec(path).sha256


def test_a_missing_spec_file_is_a_spec_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="cannot read the spec"):
        load_spec(tmp_path / "absent.toml")


def test_the_documented_example_spec_parses() -> None:
    docs = Path(__file__).parents[2] / "docs" / "research.md"
    section = docs.read_text(encoding="utf-8").split("## Analysis specs", 1)[1]
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    spec = parse(example)
    assert [r.name for r in spec.recodes] == ["pce_score", "pce_band", "sex", "depressed"]
    assert [e.kind for e in spec.estimates] == ["proportion", "mean"]
    assert spec.models[0].family == "binomial"
    assert spec.design.nest is True
