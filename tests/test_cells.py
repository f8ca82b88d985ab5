"""The one guard against CSV injection (hopeful.cells), used by every CSV and Excel writer."""

from __future__ import annotations

import pytest

from hopeful.cells import safe_cell


@pytest.mark.parametrize(
    ("given", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-3.5", "-3.5"),  # a number, read as a number
        ("+12", "+12"),
        ("Sunrise Pediatrics", "Sunrise Pediatrics"),
        ("", ""),
        (-1.5, -1.5),
        (7, 7),
        (None, None),
    ],
)
def test_text_a_spreadsheet_would_run_gets_a_leading_quote_and_nothing_else_changes(
    given: object, written: object
) -> None:
    assert safe_cell(given) == written
