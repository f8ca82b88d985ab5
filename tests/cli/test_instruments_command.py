"""``hopeful instruments``: list the instruments and show one, called in-process."""

from __future__ import annotations

import pytest

from hopeful.cli import main

ALL_IDS = (
    "pce7",
    "bce10",
    "ace_brfss",
    "nsch_flourishing_0_5",
    "nsch_flourishing_6_17",
    "nsch_family_resilience",
)


def test_it_lists_all_six_instrument_ids(capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["instruments"])
    out, err = capsys.readouterr()
    assert rc == 0
    assert err == ""
    listed = {line.split()[0] for line in out.splitlines()[1:] if line.strip()}
    assert listed == set(ALL_IDS)
    assert out.splitlines()[0].split()[:2] == ["id", "version"]


def test_it_shows_pce7_in_spanish_with_option_codes_and_the_unofficial_status(
    capsys: pytest.CaptureFixture[str],
) -> None:
    rc = main(["instruments", "show", "pce7", "--lang", "es"])
    out, err = capsys.readouterr()
    assert rc == 0
    assert err == ""
    assert "¿Sentía que podía hablar con su familia" in out
    assert "unofficial" in out
    assert "traducción o adaptación no oficial" in out
    assert "Fuente: " in out
    assert "(Crecimiento emocional)" in out  # pce1's building block, in Spanish
    lines = [line.strip() for line in out.splitlines()]
    # Options are printed with their codes; "*" marks the affirmative ones (4 and 5).
    for expected in ("1  Nunca", "2  Rara vez", "3  A veces", "* 4  Casi siempre", "* 5  Siempre"):
        assert expected in lines
    assert "8  No asistí a la escuela secundaria / estudié en casa" in lines
    assert "7  No sé / no estoy seguro(a)" in lines
    assert "9  Prefiero no responder" in lines
    assert "[pce1]" in out
    assert "[pce7]" in out


def test_it_refuses_to_show_an_unknown_instrument(capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["instruments", "show", "nope"])
    out, err = capsys.readouterr()
    assert rc == 2
    assert out == ""
    assert err.startswith("hopeful: error: ")
    assert err.count("\n") == 1
    assert "nope" in err


def test_it_refuses_to_show_an_unknown_version(capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["instruments", "show", "pce7", "--version", "9.9"])
    out, err = capsys.readouterr()
    assert rc == 2
    assert out == ""
    assert err.startswith("hopeful: error: ")
    assert err.count("\n") == 1
    assert "9.9" in err
