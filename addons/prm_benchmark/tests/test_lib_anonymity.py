"""Tests of the anonymity rules for published statistics."""
import pytest
from hypothesis import given, settings, strategies as st

from ..lib.anonymity import (
    AnonymityPolicy, contribution_differences, differencing_conflict,
    overlap_differences, safe_groups,
)
from ..lib.statistics import STATISTIC_KEYS, group_statistics

FAST = settings(max_examples=200, deadline=None)


def published(values, policy=None, higher_is_better=True):
    policy = policy or AnonymityPolicy()
    stats = group_statistics(values, higher_is_better)
    return policy.filter_statistics(stats, values, higher_is_better)


def test_too_small_group_withholds_everything_including_count():
    result = published([10, 11, 12, None, 13])
    assert result['withheld'] == 'group_too_small'
    assert all(result[key] is None for key in STATISTIC_KEYS)
    assert result['withheld_fields'] == dict.fromkeys(
        STATISTIC_KEYS, 'group_too_small')


def test_small_group_shows_central_values_only():
    result = published([10, 11, 12, 13, 14])
    assert result['withheld'] is None
    assert result['count'] == 5
    assert result['mean'] == 12.0
    assert (result['q1'], result['median'], result['q3']) == (11.0, 12.0, 13.0)
    assert result['min'] is None and result['max'] is None
    # Only 13 and 14 are in the top quartile; each could derive the other.
    assert result['top_quartile_mean'] is None
    assert result['withheld_fields'] == {
        'min': 'group_too_small_for_extremes',
        'max': 'group_too_small_for_extremes',
        'top_quartile_mean': 'top_group_too_small',
    }


def test_top_quartile_rule_can_be_disabled():
    policy = AnonymityPolicy(min_top_group_size=1)
    assert published([10, 11, 12, 13, 14], policy)['top_quartile_mean'] == 13.5


def test_large_group_shows_everything():
    values = list(range(1, 11))
    result = published(values)
    assert result['withheld_fields'] == {}
    assert result['withheld'] is None
    assert (result['min'], result['max']) == (1.0, 10.0)
    assert result['q3'] == 7.75
    assert result['top_quartile_mean'] == 9.0  # mean of 8, 9, 10
    lower_better = published(values, higher_is_better=False)
    assert lower_better['q1'] == 3.25
    assert lower_better['top_quartile_mean'] == 2.0  # mean of 1, 2, 3


def test_dominant_firm_hides_means():
    values = [100] + [1] * 9
    result = published(values)
    assert result['mean'] is None
    assert result['top_quartile_mean'] is None
    assert result['median'] == 1.0
    # Ten values are enough for extremes; the maximum does not say whose it is.
    assert (result['min'], result['max']) == (1.0, 100.0)
    assert result['withheld_fields'] == {
        'mean': 'dominant_value', 'top_quartile_mean': 'dominant_value',
    }


def test_dominance_only_for_share_above_limit():
    # 25 of 100 is exactly the allowed share, 26 of 101 is above it.
    assert published([25, 15, 20, 20, 20])['mean'] == 20.0
    result = published([26, 15, 20, 20, 20])
    assert result['mean'] is None
    assert result['withheld_fields']['mean'] == 'dominant_value'


@pytest.mark.parametrize('values', [
    [-5, 100, 1, 1, 1, 1],  # negative values: shares are meaningless
    [0, 0, 0, 0, 0],
])
def test_dominance_check_skipped(values):
    result = published(values)
    assert result['mean'] == sum(values) / len(values)
    assert 'mean' not in result['withheld_fields']


def test_filter_returns_new_dict():
    values = list(range(20))
    stats = group_statistics(values)
    original = dict(stats)
    AnonymityPolicy(min_group_size=50, min_group_size_extremes=50) \
        .filter_statistics(stats, values)
    assert stats == original


def test_policy_rejects_inconsistent_thresholds():
    with pytest.raises(ValueError):
        AnonymityPolicy(min_group_size=0)
    with pytest.raises(ValueError):
        AnonymityPolicy(min_group_size=10, min_group_size_extremes=5)
    with pytest.raises(ValueError):
        AnonymityPolicy(max_share=0)


@pytest.mark.parametrize('a, b, expected', [
    (set(range(1, 7)), set(range(1, 6)), True),   # differ by one firm
    (set(range(1, 10)), set(range(1, 6)), True),   # differ by four
    (set(range(1, 11)), set(range(1, 6)), False),  # differ by five
    ({1, 2, 3, 4, 5, 6}, {1, 2, 3, 4, 5, 7}, True),  # swap one firm each
    (set(range(1, 6)), set(range(1, 6)), False),   # the same group
    (set(range(1, 6)), set(range(6, 9)), False),   # no overlap
])
def test_differencing_conflict(a, b, expected):
    assert differencing_conflict(a, b, 5) is expected
    assert differencing_conflict(b, a, 5) is expected


def test_safe_groups_drops_smaller_of_conflicting_pair():
    groups = {
        'all': set(range(1, 21)),
        'north': set(range(1, 11)),
        'north_wide': set(range(1, 13)),
        'south': set(range(11, 21)),
        'tiny': {1, 2},
    }
    assert safe_groups(groups, 5) == {'all', 'north_wide', 'south'}


def test_safe_groups_breaks_size_ties_by_name():
    groups = {'b': set(range(1, 7)), 'a': set(range(2, 8))}
    assert safe_groups(groups, 5) == {'a'}


def test_safe_groups_keeps_group_whose_rival_was_dropped():
    # c conflicts only with b, and b was dropped because of a.
    groups = {
        'a': set(range(1, 21)),
        'b': set(range(1, 18)),
        'c': set(range(1, 14)),
    }
    assert safe_groups(groups, 5) == {'a', 'c'}


def test_safe_groups_compares_contributors_not_only_members():
    # b has five members more than a, but only one of them has figures.
    groups = {'a': set(range(1, 11)), 'b': set(range(1, 16))}
    counted = {'a': set(range(1, 11)), 'b': set(range(1, 12))}
    assert safe_groups(groups, 5) == {'a', 'b'}
    assert safe_groups(groups, 5, [counted]) == {'b'}
    # A statistic with fewer than k contributors is withheld anyway.
    few = {'a': {1, 2, 3, 4}, 'b': {1, 2, 3, 4, 5}}
    assert safe_groups(groups, 5, [few]) == {'a', 'b'}


GROUPS = st.dictionaries(
    st.sampled_from('abcdefgh'),
    st.sets(st.integers(1, 15), max_size=15),
    max_size=8,
)


@FAST
@given(GROUPS, st.integers(1, 6))
def test_safe_groups_properties(groups, min_group_size):
    kept = safe_groups(groups, min_group_size)
    assert kept == safe_groups(dict(reversed(list(groups.items()))),
                               min_group_size)
    for name in kept:
        assert len(groups[name]) >= min_group_size
        for other in kept - {name}:
            assert not differencing_conflict(
                groups[name], groups[other], min_group_size)
    # Greedy: every dropped group of sufficient size conflicts with a kept
    # group that is at least as large.
    for name in set(groups) - kept:
        if len(groups[name]) >= min_group_size:
            assert any(
                differencing_conflict(groups[name], groups[other],
                                      min_group_size)
                and len(groups[other]) >= len(groups[name])
                for other in kept)


def masks_of(counted):
    """Contribution counts per combination of groups, as the SQL gives them."""
    combinations = {}
    for dealer in set().union(*counted.values()) if counted else ():
        mask = tuple(sorted(g for g, dealers in counted.items() if dealer in dealers))
        combinations[mask] = combinations.get(mask, 0) + 1
    return combinations


def stored_conflicts(counted_per_view, k):
    """The pairs the engine stores and reads back for threshold ``k``."""
    return [pair for counted in counted_per_view
            for pair, (difference, smaller)
            in contribution_differences(masks_of(counted)).items()
            if difference < k <= smaller]


def test_stored_conflicts_catch_the_single_contributor():
    groups = {'a': set(range(1, 11)), 'b': set(range(1, 16))}
    counted = {'a': set(range(1, 11)), 'b': set(range(1, 12))}
    assert contribution_differences(masks_of(counted)) == {('a', 'b'): (1, 10)}
    assert safe_groups(groups, 5, conflicts=stored_conflicts([counted], 5)) == {'b'}
    few = {'a': {1, 2, 3, 4}, 'b': {1, 2, 3, 4, 5}}
    assert safe_groups(groups, 5, conflicts=stored_conflicts([few], 5)) == \
        {'a', 'b'}


@FAST
@given(GROUPS, st.lists(GROUPS, max_size=3), st.integers(1, 6))
def test_stored_conflicts_equal_contribution_sets(groups, views, k):
    """Counts per group combination decide exactly as the dealer sets do."""
    views = [{name: dealers & groups[name] for name, dealers in view.items()
              if name in groups} for view in views]
    assert safe_groups(groups, k, conflicts=stored_conflicts(views, k)) == \
        safe_groups(groups, k, views)


@FAST
@given(GROUPS, st.integers(1, 8))
def test_stored_top_group_pairs_decide_as_the_member_sets(tops, k):
    """The pairs a refresh stores for the top-quartile means (counts per
    combination of groups) conflict for ``k`` exactly where the top groups'
    member sets do (``differencing_conflict``)."""
    stored = {pair for pair, (difference, _smaller)
              in overlap_differences(masks_of(tops)).items() if difference < k}
    names = sorted(tops)
    expected = {(a, b) for index, a in enumerate(names) for b in names[index + 1:]
                if differencing_conflict(tops[a], tops[b], k)}
    assert stored == expected
