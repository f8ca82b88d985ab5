"""Spreadsheet cells that run no formula: the one guard against CSV injection (OWASP) for every
CSV and Excel file HOPEful writes (the dashboard's exports, the program's score export,
`hopeful analyze`). Pure Python, no Django."""

from __future__ import annotations

from typing import TypeVar

#: A cell starting with one of these may be run as a formula by a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

T = TypeVar("T")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def safe_cell(value: T) -> T | str:
    """``value``, with a leading ``'`` when it is text a spreadsheet would run as a formula.

    Numbers (and text that is a whole number, such as ``-3.5``) pass unchanged: a spreadsheet
    reads them as numbers, never as formulas.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _is_number(value):
        return "'" + value
    return value
