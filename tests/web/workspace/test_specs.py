"""The workspace's spec rules and the spec the form writes (no database)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hopeful.research import SpecError
from hopeful.web.workspace import specs

COLUMNS = ["WT", "STR", "PSU", "SEX", "GENHLTH", "my var"]
BODY = '\n[design]\nweights = "WT"\n\n[[estimate]]\nkind = "mean"\nvariable = "GENHLTH"\n'


@pytest.mark.parametrize(
    "path",
    ["/etc/passwd", "../../x", "..", ".", "a/b.sav", "C:\\\\x.sav", "C:x.sav", "\\\\\\\\host\\\\x"],
)
def test_a_path_with_a_folder_is_refused_at_its_line(path: str) -> None:
    text = f'[data]\npath = "{path}"\n{BODY}'
    with pytest.raises(SpecError, match=r"line 2: \[data\] path .* must be a file name"):
        specs.check_spec(text, file_name="x.sav", columns=COLUMNS)


def test_a_bare_name_is_only_a_name_the_run_replaces() -> None:
    spec = specs.check_spec(f'[data]\npath = "passwd"\n{BODY}', file_name="x.sav", columns=COLUMNS)
    copy = specs.for_copy(spec, Path("/research/o/f/analysis.parquet"))
    assert copy.data.path == Path("/research/o/f/analysis.parquet")
    assert copy.data.labels is None


def test_an_unknown_column_is_refused_with_near_matches() -> None:
    text = f'[data]\npath = "x.sav"\n{BODY}'.replace('"GENHLTH"', '"GENHTLH"')
    with pytest.raises(
        SpecError,
        match=r"line 9: no column 'GENHTLH'; did you mean 'GENHLTH'\? \(6 columns in x.sav\)",
    ):
        specs.check_spec(text, file_name="x.sav", columns=COLUMNS)


def test_the_form_answers_make_a_spec_that_parses() -> None:
    text = specs.build_spec(
        {
            "design": "taylor",
            "weights": "WT",
            "strata": "STR",
            "psu": "PSU",
            "nest": True,
            "lonely_psu": "adjust",
            "missing": {"GENHLTH": [7, 9], "my var": ["x"]},
            "estimates": [
                {"kind": "proportion", "variable": "GENHLTH", "by": ["SEX"], "ci": "logit"},
                {"kind": "proportion", "variable": "GENHLTH", "by": [], "ci": "wald"},
                {"kind": "ratio", "variable": "WT", "by": [], "denominator": "GENHLTH"},
            ],
            "models": [{"family": "gaussian", "formula": "GENHLTH ~ C(SEX)"}],
        },
        file_name='odd "name".sav',
    )
    spec = specs.check_spec(text, file_name="x", columns=COLUMNS)
    assert [e.id for e in spec.estimates] == [
        "GENHLTH-proportion",
        "GENHLTH-proportion-2",
        "WT-ratio",
    ]
    assert spec.estimates[0].ci == "logit"
    assert spec.data.missing["my var"] == ("x",)
    assert spec.design.strata == ("STR",) or spec.design.strata == "STR"
    assert spec.models[0].formula == "GENHLTH ~ C(SEX)"
    assert 'path = "odd \\"name\\".sav"' in text


def test_replicate_weights_from_the_form() -> None:
    text = specs.build_spec(
        {
            "design": "replicates",
            "weights": "WT",
            "replicate_weights": "^REP[0-9]+$",
            "replicate_type": "JK1",
            "estimates": [{"kind": "mean", "variable": "GENHLTH", "by": []}],
        },
        file_name="x.sav",
    )
    assert "[design.replicates]" in text
    spec = specs.check_spec(text, file_name="x", columns=COLUMNS)
    assert spec.design.replicates is not None
