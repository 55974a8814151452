"""Tests of the group statistics against hand-computed and reference values."""
import math
import statistics
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from ..lib.statistics import (
    STATISTIC_KEYS, group_statistics, percentile_cont, rank_in_sorted,
)
from .oracles import rank_of

FAST = settings(max_examples=200, deadline=None)


def reference_quartiles(values):
    """Quartiles as statistics.quantiles(values, n=4, method='inclusive').

    Python 3.7 lacks statistics.quantiles, so this is the algorithm of the
    3.8+ standard library, computed exactly with fractions.
    """
    data = sorted(Fraction(value) for value in values)
    if len(data) == 1:
        return [float(data[0])] * 3
    n, m = 4, len(data) - 1
    result = []
    for i in range(1, n):
        j, delta = divmod(i * m, n)
        result.append(float((data[j] * (n - delta) + data[j + 1] * delta) / n))
    return result


def close(actual, expected):
    return math.isclose(actual, expected, rel_tol=1e-12, abs_tol=1e-9)


@pytest.mark.parametrize('values, fraction, expected', [
    # Values checked with PostgreSQL:
    # SELECT percentile_cont(f) WITHIN GROUP (ORDER BY x) ...
    ([1, 2, 3, 4], 0.25, 1.75),
    ([1, 2, 3, 4], 0.5, 2.5),
    ([1, 2, 3, 4], 0.75, 3.25),
    ([1, 2, 3, 4], 0.0, 1.0),
    ([1, 2, 3, 4], 1.0, 4.0),
    ([10, 20, 30, 40, 50], 0.25, 20.0),
    ([10, 20, 30, 40, 50], 0.9, 46.0),
    ([-5, 5], 0.5, 0.0),
    ([7], 0.3, 7.0),
])
def test_percentile_cont_hand_computed(values, fraction, expected):
    assert percentile_cont(values, fraction) == expected


def test_percentile_cont_edge_cases():
    assert percentile_cont([], 0.5) is None
    with pytest.raises(ValueError):
        percentile_cont([1, 2], 1.5)
    with pytest.raises(ValueError):
        percentile_cont([1, 2], -0.1)


def test_group_statistics_hand_computed():
    values = [None, 5, 1, 3, 2, 4]
    assert group_statistics(values) == {
        'count': 5, 'mean': 3.0, 'median': 3.0, 'q1': 2.0, 'q3': 4.0,
        'top_quartile_mean': 4.5, 'min': 1.0, 'max': 5.0,
    }
    lower_better = group_statistics(values, higher_is_better=False)
    assert lower_better['top_quartile_mean'] == 1.5
    assert lower_better['q1'] == 2.0


def test_top_quartile_between_values():
    # q3 = 32.5 and q1 = 17.5 fall between values: only 40 resp. 10 count.
    assert group_statistics([40, 10, 30, 20])['top_quartile_mean'] == 40.0
    assert group_statistics(
        [40, 10, 30, 20], higher_is_better=False)['top_quartile_mean'] == 10.0


def test_ties_all_count_as_top_quartile():
    stats = group_statistics([2, 2, 2, 2, 1])
    assert stats['q3'] == 2.0
    assert stats['top_quartile_mean'] == 2.0
    stats = group_statistics([3, 3, 1, 1], higher_is_better=False)
    assert stats['q1'] == 1.0
    assert stats['top_quartile_mean'] == 1.0


@pytest.mark.parametrize('values', [[], [None, None]])
def test_group_statistics_empty(values):
    assert group_statistics(values) == {
        'count': 0, 'mean': None, 'median': None, 'q1': None, 'q3': None,
        'top_quartile_mean': None, 'min': None, 'max': None,
    }


def test_single_value():
    expected = dict.fromkeys(STATISTIC_KEYS, 42.0)
    expected['count'] = 1
    assert group_statistics([42]) == expected


def test_mean_near_float_limit_does_not_overflow():
    assert group_statistics([1e308, 1e308, 1e308])['mean'] == 1e308


SANE_FLOATS = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)


@FAST
@given(st.lists(SANE_FLOATS, min_size=1, max_size=40),
       st.booleans())
def test_group_statistics_match_reference(values, higher_is_better):
    stats = group_statistics(values, higher_is_better)
    q1, median, q3 = reference_quartiles(values)
    assert stats['count'] == len(values)
    assert close(stats['mean'], statistics.mean(values))
    assert close(stats['median'], statistics.median(values))
    assert close(stats['median'], median)
    assert close(stats['q1'], q1)
    assert close(stats['q3'], q3)
    assert stats['min'] == min(values)
    assert stats['max'] == max(values)
    assert stats['min'] <= stats['q1'] <= stats['median'] <= stats['q3']
    assert stats['q3'] <= stats['max']


@FAST
@given(st.lists(st.one_of(st.none(), st.integers(-10 ** 6, 10 ** 6)),
                max_size=40),
       st.booleans())
def test_integer_data_matches_reference_exactly(values, higher_is_better):
    # Integers keep the interpolation exact, so the quartile boundary and
    # thus the membership of the top quartile must match exactly.
    present = [value for value in values if value is not None]
    stats = group_statistics(values, higher_is_better)
    assert stats['count'] == len(present)
    if not present:
        assert stats['mean'] is None
        return
    q1, median, q3 = reference_quartiles(present)
    assert (stats['q1'], stats['median'], stats['q3']) == (q1, median, q3)
    if higher_is_better:
        top = [value for value in present if Fraction(value) >= Fraction(q3)]
    else:
        top = [value for value in present if Fraction(value) <= Fraction(q1)]
    assert close(stats['top_quartile_mean'], statistics.mean(top))


@pytest.mark.parametrize('own, higher_is_better, expected', [
    (30, True, (1, 100.0)),
    (20, True, (2, 75.0)),
    (10, True, (4, 25.0)),
    (10, False, (1, 100.0)),
    (20, False, (2, 75.0)),
    (30, False, (4, 25.0)),
    (25, True, (2, 75.0)),  # not itself part of the group
    (None, True, (None, None)),
])
def test_rank_of_hand_computed(own, higher_is_better, expected):
    assert rank_of(own, [10, 20, None, 20, 30], higher_is_better) == expected


def test_rank_of_empty_group():
    assert rank_of(5, []) == (None, None)
    assert rank_of(5, [None]) == (None, None)


@FAST
@given(st.lists(st.integers(-50, 50), min_size=1, max_size=30),
       st.data(), st.booleans())
def test_rank_of_agrees_with_sorting(values, data, higher_is_better):
    own = data.draw(st.sampled_from(values))
    rank, percentile = rank_of(own, values, higher_is_better)
    best_first = sorted(values, reverse=higher_is_better)
    first_position = best_first.index(own)
    assert rank == first_position + 1
    # own is at least as good as everything from its first occurrence on.
    assert percentile == pytest.approx(
        100.0 * (len(values) - first_position) / len(values))
    assert 0 < percentile <= 100
    if rank == 1:
        assert percentile == 100.0


@FAST
@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=40),
       st.floats(-1e6, 1e6), st.booleans())
def test_rank_by_bisection_equals_rank_of(values, own, higher_is_better):
    """The cached sorted values give exactly the ranks of the plain scan."""
    from array import array
    ascending = array("d", sorted(values))
    for candidate in (own, values[0]):
        assert rank_in_sorted(candidate, ascending, higher_is_better) == \
            rank_of(candidate, values, higher_is_better)


def test_rank_by_bisection_of_empty_group():
    assert rank_in_sorted(5, []) == (None, None)
    assert rank_in_sorted(None, [1.0]) == (None, None)
