"""Histogram bars never pin one or two other firms between their edges.

Found by an outside review: in the demo's network group a middle bar held
exactly one other dealer, whose value was thereby known within ±5.6 %.
The release model now applies the minimum-frequency rule to the inner bars
and coarsens the histogram until it holds (``release.safe_histogram``).
"""
from hypothesis import given, strategies as st

from ..lib import release
from ..lib.anonymity import AnonymityPolicy
from ..lib.statistics import bucket_index

POLICY = AnonymityPolicy(5, 10, 0.25, 3, 10.0)


def inner_others(hist, own_value):
    counts = list(hist["counts"])
    if own_value is not None and hist["own_bin"] is not None:
        counts[hist["own_bin"]] -= 1
    return counts[1:-1]


def test_a_lone_firm_in_a_middle_bar_is_not_released():
    # 30 firms: 14 low, one alone in the middle, 15 high; at 10 bars the
    # lone firm sits in an inner bar of its own.
    ascending = sorted([10.0 + i * 0.1 for i in range(14)] + [55.0]
                       + [100.0 + i * 0.1 for i in range(15)])
    own = ascending[0]
    ten = release.histogram(ascending, 10)
    low, high, counts = ten
    lone = bucket_index(55.0, low, high, 10)
    assert 0 < lone < 9 and counts[lone] == 1   # the leak at 10 bars
    result = release.release_kpi(ascending, own, True, POLICY, audit=False)
    hist = result["histogram"]
    assert hist is None or all(n == 0 or n >= 3 for n in inner_others(hist, own))


@given(st.lists(st.integers(0, 400).map(float), min_size=10, max_size=40),
       st.integers(0, 39))
def test_inner_bars_hold_no_other_firm_or_at_least_three(values, viewer):
    ascending = sorted(values)
    own = ascending[viewer % len(ascending)]
    hist = release.safe_histogram(ascending, own)
    if hist is not None:
        assert len(hist["edges"]) == len(hist["counts"]) + 1
        assert sum(hist["counts"]) == len(ascending)
        assert all(n == 0 or n >= release.HISTOGRAM_MIN_FREQUENCY
                   for n in inner_others(hist, own))
