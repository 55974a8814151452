"""Property-based tests of group statistics and anonymity over all floats."""
import math
from fractions import Fraction

from hypothesis import example, given, settings, strategies as st

from ..lib.anonymity import (
    DOMINANT_VALUE, GROUP_TOO_SMALL, AnonymityPolicy,
)
from ..lib import statistics
from ..lib.statistics import STATISTIC_KEYS, group_statistics
from .oracles import rank_of

FINITE = st.floats(allow_nan=False, allow_infinity=False)
# Values of the whole float range, including the near-limit ones a formula
# like a / b with a tiny b can produce, and the everyday ones.
VALUES = st.lists(st.one_of(st.none(), FINITE, st.floats(-1e6, 1e6),
                            st.integers(-5, 5)), max_size=30)
POLICIES = st.builds(
    lambda k, extra, share, top: AnonymityPolicy(k, k + extra, share, top),
    st.integers(1, 12), st.integers(0, 6),
    st.floats(0.01, 1.0), st.integers(0, 5))


def reference_percentile(present, fraction):
    """Sorted-list percentile with exact arithmetic (PostgreSQL's method)."""
    data = sorted(Fraction(value) for value in present)
    position = Fraction(fraction) * (len(data) - 1)
    lower = int(position)
    upper = min(lower + 1, len(data) - 1)
    return data[lower] + (data[upper] - data[lower]) * (position - lower)


def assert_close(actual, exact, scale):
    # Float arithmetic loses up to a few ulps of the largest magnitude.
    assert actual is not None and math.isfinite(actual)
    assert abs(Fraction(actual) - exact) <= Fraction(scale) * Fraction(1e-12)


@given(VALUES, st.booleans())
# Neighbours whose difference overflows a float.
@example([-1.7e308, 1.7e308], True)
@example([-1e308, 0.0, 1e308], False)
def test_statistics_match_a_sorted_list_reference(values, higher_is_better):
    present = sorted(float(value) for value in values if value is not None)
    stats = group_statistics(values, higher_is_better)
    assert set(stats) == set(STATISTIC_KEYS)
    assert stats['count'] == len(present)
    if not present:
        assert all(stats[key] is None for key in STATISTIC_KEYS
                   if key != 'count')
        return
    scale = max(abs(present[0]), abs(present[-1]))
    assert (stats['min'], stats['max']) == (present[0], present[-1])
    for key, fraction in (('q1', 0.25), ('median', 0.5), ('q3', 0.75)):
        assert_close(stats[key], reference_percentile(present, fraction),
                     scale)
        assert present[0] <= stats[key] <= present[-1]
    assert stats['q1'] <= stats['median'] <= stats['q3']
    exact_mean = sum(Fraction(value) for value in present) / len(present)
    assert_close(stats['mean'], exact_mean, scale)
    top = [value for value in present
           if (value >= stats['q3'] if higher_is_better
               else value <= stats['q1'])]
    assert top, 'the best quartile always holds the best value'
    assert_close(stats['top_quartile_mean'],
                 sum(Fraction(value) for value in top) / len(top), scale)


@given(VALUES.filter(lambda values: any(v is not None for v in values)),
       st.data(), st.booleans())
def test_rank_is_between_one_and_the_group_size(values, data, higher):
    present = [value for value in values if value is not None]
    own = data.draw(st.sampled_from(present))
    rank, percentile = rank_of(own, values, higher)
    assert 1 <= rank <= len(present)
    assert 0 < percentile <= 100


@given(VALUES, POLICIES, st.booleans())
def test_no_statistic_is_published_for_fewer_than_k_values(
        values, policy, higher_is_better):
    present = [value for value in values if value is not None]
    stats = group_statistics(values, higher_is_better)
    result = policy.filter_statistics(stats, values, higher_is_better)
    if len(present) < policy.min_group_size:
        assert result['withheld'] == GROUP_TOO_SMALL
        assert all(result[key] is None for key in STATISTIC_KEYS)
        return
    assert result['count'] == len(present)
    if len(present) < policy.min_group_size_extremes:
        assert result['min'] is None and result['max'] is None
    published = {key for key in STATISTIC_KEYS if result[key] is not None}
    assert published <= set(STATISTIC_KEYS) - set(result['withheld_fields'])


def has_dominant_reference(present, max_share):
    if not present or any(value < 0 for value in present):
        return False
    total = sum(Fraction(value) for value in present)
    return total > 0 and Fraction(max(present)) > Fraction(max_share) * total


@given(VALUES, POLICIES)
# The group total overflows a float, yet two firms hold half of it each.
@example([1e308, 1e308, 1.0, 1.0, 1.0], AnonymityPolicy())
@example([1.7e308] + [1e307] * 9, AnonymityPolicy())
def test_a_dominant_firm_hides_the_means_even_near_the_float_limit(
        values, policy):
    present = [value for value in values if value is not None]
    stats = group_statistics(values)
    result = policy.filter_statistics(stats, values)
    if len(present) < policy.min_group_size:
        return
    dominant = has_dominant_reference(present, policy.max_share)
    withheld = result['withheld_fields']
    assert (withheld.get('mean') == DOMINANT_VALUE) == dominant
    if dominant:
        assert result['mean'] is None and result['top_quartile_mean'] is None


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(st.one_of(st.integers(-50, 50).map(float),
                          st.floats(-1e6, 1e6, allow_nan=False)),
                min_size=1, max_size=300),
       st.integers(1, 12))
def test_histogram_counts_are_bucket_index_of_every_value(values, bins):
    """The bisection in ``histogram`` counts exactly what ``bucket_index``
    says of each value (ties and values on a bar's edge included)."""
    ascending = sorted(values)
    result = statistics.histogram(ascending, bins)
    if result is None:
        return
    low, high, counts = result
    naive = [0] * bins
    for value in ascending:
        naive[statistics.bucket_index(value, low, high, bins)] += 1
    assert counts == naive
