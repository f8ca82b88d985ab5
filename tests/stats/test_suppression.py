"""Small-cell protection: no published count of 1-10 is shown or can be recovered.

The property test builds random tables and views, protects them, then plays the attacker: by
linear programming over everything the view still publishes it bounds every hidden cell, and
no cell whose count is 1-10 may be pinned inside 1-10.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from hopeful.stats import EstimationError
from hopeful.stats.suppression import Margin, Protected, cell_bounds, protect

THRESHOLD = 11


def test_it_hides_a_rectangle_around_a_small_cell_and_keeps_the_margins() -> None:
    base = np.array([[3, 40], [25, 60], [0, 12]])
    result = protect(base, [(0, 1), (1,), (0,), ()])
    assert result.suppressed[0].tolist() == [[True, True], [True, True], [False, False]]
    assert not result.suppressed[1].any()  # column totals stay
    assert not result.suppressed[2].any()  # row totals stay
    assert not result.suppressed[3].any()  # grand total stays
    assert result.primary[0].tolist() == [[True, False], [False, False], [False, False]]
    (lo, hi), *_ = cell_bounds(base.shape, result.axes, result.tables, result.suppressed)
    assert lo[0, 0] == 0
    assert hi[0, 0] == 28  # the attacker only knows 0..28


def test_it_shows_zeros_and_counts_of_eleven_or_more() -> None:
    base = np.array([[0, 11], [12, 30]])
    result = protect(base, [(0, 1), (0,), (1,), ()])
    assert not result.any_suppressed


def test_a_lone_small_total_hides_everything_that_reveals_it() -> None:
    result = protect(np.array([4]), [(0,), ()])
    assert result.suppressed[0].all()
    assert result.suppressed[1].all()
    assert np.isnan(result.shown(1)).all()


def test_the_threshold_is_configurable() -> None:
    base = np.array([[12, 40], [30, 60]])
    assert not protect(base, [(0, 1)]).any_suppressed
    assert protect(base, [(0, 1)], threshold=20).suppressed[0][0, 0]


@pytest.mark.parametrize(
    ("base", "axes", "message"),
    [
        (np.array([-1, 3]), [(0,)], "negative"),
        (np.array([1.5, 3]), [(0,)], "whole numbers"),
        (np.array(["a"]), [(0,)], "numbers"),
        (np.array([[1, 2]]), [(2,)], "do not fit"),
        (np.array([[1, 2]]), [Margin.of((0,), {1: (0, 0)})], "not kept"),
        (np.array([[1, 2]]), [Margin.of((1,), {1: (0,)})], "2 positions"),
    ],
)
def test_it_refuses_bad_counts_and_axes(base: np.ndarray, axes: list, message: str) -> None:
    with pytest.raises(EstimationError, match=message):
        protect(base, axes)


counts = st.one_of(st.just(0), st.integers(1, 10), st.integers(11, 80), st.integers(11, 80))


@st.composite
def views(draw: st.DrawFn) -> tuple[np.ndarray, list[tuple[int, ...]]]:
    ndim = draw(st.integers(1, 3))
    shape = tuple(draw(st.integers(1, 4)) for _ in range(ndim))
    base = draw(hnp.arrays(np.int64, shape, elements=counts))
    full = tuple(range(ndim))
    marginals = [
        tuple(a for a in full if mask >> a & 1) for mask in range(2**ndim) if mask != 2**ndim - 1
    ]
    chosen = draw(st.lists(st.sampled_from(marginals), unique=True, max_size=len(marginals)))
    return base, [full, *chosen]


@st.composite
def period_views(draw: st.DrawFn) -> tuple[np.ndarray, list[tuple[int, ...] | Margin]]:
    """A program x period x outcome base published at every level of a period hierarchy
    (periods, groups of periods, all), each with every margin of program and outcome: the
    dashboard's shape, where quarters add up into years."""
    programs, periods, outcomes = (draw(st.integers(1, 3)), draw(st.integers(2, 6)), 2)
    base = draw(hnp.arrays(np.int64, (programs, periods, outcomes), elements=counts))
    size = draw(st.integers(1, periods))
    groups = tuple(p // size for p in range(periods))
    axes: list[tuple[int, ...] | Margin] = []
    for rest in [(0, 2), (0,), (2,), ()]:
        axes.append(Margin.of((*rest, 1)))
        axes.append(Margin.of((*rest, 1), {1: groups}))
        axes.append(rest)
    return base, axes


def test_coarsened_margins_add_periods_up_into_groups() -> None:
    base = np.array([[5, 20, 30, 40]])  # one program, four quarters
    years = Margin.of((0, 1), {1: (0, 0, 1, 1)})
    result = protect(base, [(0, 1), years, (0,)])
    assert result.tables[1].tolist() == [[25, 70]]
    assert result.primary[0].tolist() == [[True, False, False, False]]
    # the first quarter is pinned by its year minus the second quarter: both hide a partner
    assert result.suppressed[0][0, 0]
    assert result.suppressed[0][0, 1]
    bounds = cell_bounds(base.shape, result.axes, result.tables, result.suppressed)
    (lo, hi) = bounds[0]
    assert not (lo[0, 0] >= 1 and hi[0, 0] <= 10)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(view=period_views())
def test_no_small_count_can_be_recovered_across_a_period_hierarchy(
    view: tuple[np.ndarray, list[tuple[int, ...] | Margin]],
) -> None:
    _assert_nothing_small_is_recoverable(*view)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(view=views())
def test_no_small_count_can_be_recovered_from_what_a_view_publishes(
    view: tuple[np.ndarray, list[tuple[int, ...]]],
) -> None:
    _assert_nothing_small_is_recoverable(*view)


def _assert_nothing_small_is_recoverable(
    base: np.ndarray, axes: list[tuple[int, ...]] | list[tuple[int, ...] | Margin]
) -> None:
    result = protect(base, axes, threshold=THRESHOLD)
    for table, hidden, primary in zip(
        result.tables, result.suppressed, result.primary, strict=True
    ):
        small = (table >= 1) & (table < THRESHOLD)
        assert (primary == small).all()
        assert hidden[small].all()  # every small count is hidden
    bounds = cell_bounds(base.shape, result.axes, result.tables, result.suppressed)
    for (lo, hi), table, hidden in zip(bounds, result.tables, result.suppressed, strict=True):
        for cell in zip(*np.nonzero(hidden & (table >= 1) & (table < THRESHOLD)), strict=True):
            pinned = lo[cell] >= 1 - 1e-9 and hi[cell] <= THRESHOLD - 1 + 1e-9
            assert not pinned, (base.tolist(), axes, cell, lo[cell], hi[cell])


def test_it_reuses_a_result_for_the_same_view_without_letting_callers_change_it() -> None:
    base = np.array([[3, 40], [25, 60], [0, 12]])
    first = protect(base, [(0, 1), (1,), (0,), ()])
    first.suppressed[0][...] = False  # a caller scribbles on its copy
    again = protect(base, [(0, 1), (1,), (0,), ()])
    assert again.suppressed[0].tolist() == [[True, True], [True, True], [False, False]]
    other = protect(base, [(0, 1), (1,), (0,), ()], threshold=30)
    assert other.suppressed[0][1, 0]  # 25 < 30: a different view, not the cached one


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(view=period_views(), data=st.data())
def test_known_tables_lose_only_their_own_small_counts(
    view: tuple[np.ndarray, list[tuple[int, ...] | Margin]], data: st.DataObject
) -> None:
    """Tables other views publish too are taken as known: protect() hides only their small
    counts and protects everything else around them (or, when it cannot, hides it all)."""
    base, axes = view
    known = data.draw(st.sets(st.sampled_from(range(len(axes))), max_size=3))
    result = protect(base, axes, threshold=THRESHOLD, known=sorted(known))
    everything = all(h.all() for h in result.suppressed)
    for index in known:
        if not everything:
            assert (result.suppressed[index] == result.primary[index]).all()
    _assert_nothing_small_is_recoverable_in(result, base)


def _assert_nothing_small_is_recoverable_in(result: Protected, base: np.ndarray) -> None:
    bounds = cell_bounds(base.shape, result.axes, result.tables, result.suppressed)
    for (lo, hi), table, hidden in zip(bounds, result.tables, result.suppressed, strict=True):
        for cell in zip(*np.nonzero(hidden & (table >= 1) & (table < THRESHOLD)), strict=True):
            assert not (lo[cell] >= 1 - 1e-9 and hi[cell] <= THRESHOLD - 1 + 1e-9)


def test_known_must_name_a_published_table() -> None:
    with pytest.raises(EstimationError, match="known"):
        protect(np.array([[1, 2]]), [(0, 1)], known=[3])


def test_a_known_table_keeps_its_owners_decisions() -> None:
    """Another view owns the program totals and hides one of them: it stays hidden here, the
    shown one is never hidden, and this view's cells are protected around both."""
    base = np.array([[30, 25], [4, 40]])  # program x outcome
    owner_hidden = np.array([True, True])  # the owner hid both program totals (29 and 44)
    result = protect(base, [(0, 1), (0,), (1,), ()], known={1: owner_hidden})
    assert result.suppressed[1].tolist() == [True, True]
    assert result.suppressed[0][1, 0]  # the 4
    _assert_nothing_small_is_recoverable_in(result, base)
    shown = protect(base, [(0, 1), (0,), (1,), ()], known={1: np.array([False, False])})
    assert not shown.suppressed[1].any()  # never complementary-suppressed
    _assert_nothing_small_is_recoverable_in(shown, base)


def test_unshown_cells_are_protected_and_untargeted_ones_are_not() -> None:
    base = np.array([[3, 40], [30, 50]])
    never = np.array([[True, False], [False, False]])
    protected = protect(base, [(0, 1), (0,), (1,), ()], unshown={0: never})
    assert protected.suppressed[0][0, 0]
    _assert_nothing_small_is_recoverable_in(protected, base)  # the 3 needs partners
    free = protect(base, [(0, 1), (0,), (1,), ()], untargeted={0: never})
    assert free.suppressed[0][0, 0]
    assert free.suppressed[0].sum() == 1  # nothing else hidden: the 3 may be worked out
    with pytest.raises(EstimationError, match="shape"):
        protect(base, [(0, 1)], untargeted={0: np.array([True])})
