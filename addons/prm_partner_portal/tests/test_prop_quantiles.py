"""Property-based tests of percentile_cont over the whole float range."""
from fractions import Fraction

import pytest
from hypothesis import given, strategies as st

from ..lib.quantiles import percentile_cont

FINITE = st.floats(allow_nan=False, allow_infinity=False)
SORTED = st.lists(st.one_of(FINITE, st.integers(-3, 3)), min_size=1,
                  max_size=40).map(sorted)
FRACTIONS = st.one_of(st.floats(0, 1), st.sampled_from([0, 0.25, 0.5, 0.75, 1]))


def reference(values, fraction):
    """Interpolation between the two closest ranks, computed exactly."""
    position = Fraction(fraction) * (len(values) - 1)
    lower = int(position)
    upper = min(lower + 1, len(values) - 1)
    low, high = Fraction(values[lower]), Fraction(values[upper])
    return low + (high - low) * (position - lower), low, high


@given(SORTED, FRACTIONS)
def test_quantile_lies_between_its_neighbours_and_matches_the_reference(
        values, fraction):
    result = percentile_cont(values, fraction)
    exact, low, high = reference(values, fraction)
    assert isinstance(result, float)
    assert values[0] <= result <= values[-1]
    assert low <= Fraction(result) <= high
    scale = max(abs(low), abs(high))
    # A few ulps of the larger neighbour (subnormals have absolute ulps).
    assert abs(Fraction(result) - exact) <= (scale * Fraction(1e-12)
                                             + 4 * Fraction(5e-324))


@given(SORTED, FRACTIONS, FRACTIONS)
def test_quantiles_grow_with_the_fraction(values, first, second):
    low, high = sorted((first, second))
    assert percentile_cont(values, low) <= percentile_cont(values, high)


@given(st.one_of(st.floats(max_value=-1e-300), st.floats(min_value=1.0000001),
                 st.just(float('nan'))))
def test_fractions_outside_zero_to_one_are_refused(fraction):
    with pytest.raises(ValueError, match='fraction must be between 0 and 1'):
        percentile_cont([1.0, 2.0], fraction)


def test_empty_list_has_no_quantile():
    assert percentile_cont([], 0.5) is None
