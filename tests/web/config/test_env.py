from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from hopeful.web.config.env import env_bool, env_int, env_list, env_path, env_secret


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("true", True),
        ("TRUE", True),
        ("1", True),
        ("yes", True),
        ("on", True),
        ("false", False),
        ("0", False),
        ("No", False),
        (" off ", False),
    ],
)
def test_it_parses_the_usual_boolean_spellings(raw: str, expected: bool) -> None:
    assert env_bool("HOPEFUL_X", default=not expected, environ={"HOPEFUL_X": raw}) is expected


@pytest.mark.parametrize("raw", ["ture", "y", "2", "enabled", "false!"])
def test_it_rejects_unknown_boolean_spellings_naming_the_variable(raw: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="HOPEFUL_X"):
        env_bool("HOPEFUL_X", default=False, environ={"HOPEFUL_X": raw})


def test_it_uses_the_default_for_unset_or_blank_booleans() -> None:
    assert env_bool("HOPEFUL_X", default=True, environ={}) is True
    assert env_bool("HOPEFUL_X", default=False, environ={"HOPEFUL_X": "  "}) is False


def test_it_parses_integers_and_rejects_junk_and_values_below_the_minimum() -> None:
    assert env_int("N", 30, environ={"N": "45"}) == 45
    assert env_int("N", 30, environ={}) == 30
    with pytest.raises(ImproperlyConfigured, match="N='thirty' is not a whole number"):
        env_int("N", 30, environ={"N": "thirty"})
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("N", 30, minimum=1, environ={"N": "0"})


def test_it_splits_comma_lists_and_drops_blanks() -> None:
    assert env_list("H", ["a"], environ={"H": " x.org, ,y.org ,"}) == ["x.org", "y.org"]
    assert env_list("H", ["a"], environ={}) == ["a"]


def test_it_makes_paths_absolute(tmp_path: Path) -> None:
    assert env_path("P", Path("var"), environ={}) == Path("var").absolute()
    assert env_path("P", Path("var"), environ={"P": str(tmp_path)}) == tmp_path


def test_it_reads_a_secret_from_the_variable_or_from_a_file(tmp_path: Path) -> None:
    secret_file = tmp_path / "key"
    secret_file.write_text("from-file\n", encoding="utf-8")
    assert env_secret("K", environ={"K": "direct"}) == "direct"
    assert env_secret("K", environ={"K_FILE": str(secret_file)}) == "from-file"
    assert env_secret("K", environ={}) == ""


def test_it_refuses_a_secret_set_twice_or_an_unreadable_secret_file(tmp_path: Path) -> None:
    with pytest.raises(ImproperlyConfigured, match="not both"):
        env_secret("K", environ={"K": "a", "K_FILE": str(tmp_path / "key")})
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        env_secret("K", environ={"K_FILE": str(tmp_path / "missing")})
