"""Which age band of the visit guide fits a child today.

Pure and deterministic: ``today`` is always passed in, never read from the clock.

>>> import datetime as dt
>>> age_band(dt.date(2024, 3, 1), dt.date(2025, 2, 28))
'under_1'
>>> age_band(dt.date(2024, 3, 1), dt.date(2025, 3, 1))
'age_1_4'
>>> age_band(None, dt.date(2025, 3, 1), expected=True)
'prenatal'
"""

from __future__ import annotations

import calendar
import datetime as dt

from hopeful.framework.errors import AgeBandError

__all__ = ["age_band", "age_in_months"]


def age_in_months(born: dt.date, today: dt.date) -> int:
    """Whole months lived from ``born`` to ``today`` (``today`` not before ``born``).

    A month is complete on the same day of a later month; when that month is shorter (born
    on the 31st, or on 29 February), on its last day.

    >>> age_in_months(dt.date(2020, 2, 29), dt.date(2021, 2, 28))
    12
    """
    months = (today.year - born.year) * 12 + (today.month - born.month)
    last_day = calendar.monthrange(today.year, today.month)[1]
    if today.day < min(born.day, last_day):
        months -= 1
    return months


def age_band(birth_month: dt.date | None, today: dt.date, *, expected: bool = False) -> str | None:
    """The visit guide's age band for a child on ``today``.

    Parameters
    ----------
    birth_month
        The child's birth date. HOPEful records only the birth month, stored as its first
        day; such a child moves to the next band on the first day of their birth month.
        When the day is known it counts: a child born on 15 March is 1 on the next 15 March,
        and a child born on 29 February has birthdays on 28 February in other years. May be
        ``None`` (or the due date) for a child not yet born.
    today
        The day of the visit.
    expected
        True for a child not yet born: the band is ``"prenatal"`` whatever ``birth_month``
        holds (a due date, even one that has passed, or nothing).

    Returns
    -------
    str | None
        ``"prenatal"`` for an expected child, then ``"under_1"`` (0-11 months),
        ``"age_1_4"``, ``"age_5_11"``, ``"age_12_17"`` by completed years; ``None`` from 18
        years on, because the guide has no band for an adult child. ``"caregiver"`` (the
        adult's own experiences) is never returned: a visit chooses it.

    Raises
    ------
    AgeBandError
        If ``birth_month`` is missing, or after ``today``, for a child who is not expected.
    """
    if expected:
        return "prenatal"
    if birth_month is None:
        raise AgeBandError(
            "a child's age band needs a birth month (or expected=True for a child not yet born)"
        )
    if birth_month > today:
        raise AgeBandError(
            f"birth month {birth_month.isoformat()} is after {today.isoformat()}: "
            "use expected=True for a child not yet born"
        )
    years = age_in_months(birth_month, today) // 12
    if years < 1:
        return "under_1"
    if years <= 4:
        return "age_1_4"
    if years <= 11:
        return "age_5_11"
    if years <= 17:
        return "age_12_17"
    return None
