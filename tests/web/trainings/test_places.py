"""The rule of places shared by trainings and events: a place while one is free (None: no
limit), else the waitlist."""

from __future__ import annotations

import pytest

from hopeful.web.trainings import places


@pytest.mark.parametrize(
    ("capacity", "taken", "free", "status"),
    [
        (3, 0, 3, "registered"),
        (3, 2, 1, "registered"),
        (3, 3, 0, "waitlisted"),
        (3, 5, 0, "waitlisted"),  # over capacity after a capacity cut: still no place
        (None, 10_000, None, "registered"),  # no limit
    ],
)
def test_a_new_registration_takes_a_free_place_or_waits(
    capacity: int | None, taken: int, free: int | None, status: str
) -> None:
    assert places.free_places(capacity, taken) == free
    assert places.new_status(capacity, taken) == status
