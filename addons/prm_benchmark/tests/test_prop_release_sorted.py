"""The release's shortcuts for sorted values give what the generic rules give.

``AnonymityPolicy.filter_sorted``, ``disclosure.top_group_positions`` and
``release.top_magnitudes`` find by bisection and from the ends of the order
what ``filter_statistics`` and ``p_percent_sensitive`` find by a pass over
every value (issue 23: a cold view of a 50,000-dealer group). These
properties compare them over sorted floats with many ties, signs and
near-limit values; ``release_kpi`` must give the same for the stored
``array('d')`` as for a list.
"""
import math
import struct
from array import array

from hypothesis import given, settings, strategies as st

from ..lib import disclosure, pg_arrays, release
from ..lib.anonymity import AnonymityPolicy
from ..lib.statistics import group_statistics

FINITE = st.floats(allow_nan=False, allow_infinity=False)
# Ties, both signs, zeros of both signs, near-limit magnitudes.
ELEMENT = st.one_of(st.integers(-3, 3).map(float), st.sampled_from([-0.0, 0.0]),
                    st.floats(-1e6, 1e6), FINITE)
SORTED = st.lists(ELEMENT, max_size=60).map(sorted)
POLICIES = st.builds(
    lambda k, extra, share, top, p: AnonymityPolicy(k, k + extra, share, top, p),
    st.integers(1, 12), st.integers(0, 6), st.floats(0.01, 1.0),
    st.integers(0, 5), st.floats(0, 99.9))


def oracle_group_release(ascending, higher_is_better, policy):
    """``group_release`` with the generic rules (a pass over every value)."""
    stats = group_statistics(list(ascending), higher_is_better)
    stats = {key: stats.get(key) for key in release.RELEASED_KEYS + ("min", "max")}
    filtered = policy.filter_statistics(stats, list(ascending), higher_is_better)
    result = {key: filtered.get(key) for key in release.RELEASED_KEYS}
    reasons = {key: reason for key, reason in filtered["withheld_fields"].items()
               if key in release.RELEASED_KEYS}
    if not filtered["withheld"] and result["top_quartile_mean"] is not None:
        boundary = stats["q3"] if higher_is_better else stats["q1"]
        top = [value for value in ascending
               if (value >= boundary if higher_is_better else value <= boundary)]
        if release.p_percent_sensitive(top, policy.p_percent):
            result["top_quartile_mean"] = None
            reasons["top_quartile_mean"] = release.P_PERCENT
    return result, reasons


@settings(max_examples=400, deadline=None)
@given(SORTED, st.booleans(), POLICIES)
def test_filter_sorted_equals_the_generic_filter(ascending, higher_is_better,
                                                 policy):
    stats = group_statistics(ascending, higher_is_better)
    assert policy.filter_sorted(stats, ascending, higher_is_better) == \
        policy.filter_statistics(stats, ascending, higher_is_better)
    assert policy.filter_sorted(stats, array("d", ascending), higher_is_better) \
        == policy.filter_statistics(stats, ascending, higher_is_better)


@settings(max_examples=400, deadline=None)
@given(SORTED, st.booleans())
def test_top_group_by_bisection_equals_the_scan(ascending, higher_is_better):
    stats = group_statistics(ascending, higher_is_better)
    if stats.get("q1") is None:
        return
    positions = disclosure.top_group_positions(
        ascending, higher_is_better, stats["q1"], stats["q3"])
    boundary = stats["q3"] if higher_is_better else stats["q1"]
    assert list(positions) == [
        i for i, value in enumerate(ascending)
        if (value >= boundary if higher_is_better else value <= boundary)]
    assert AnonymityPolicy._top_group_size_sorted(
        stats, ascending, higher_is_better) == sum(
            1 for value in ascending
            if (value >= boundary if higher_is_better else value <= boundary))
    magnitudes = list(release.top_magnitudes(ascending, positions))
    expected = sorted((abs(ascending[i]) for i in positions), reverse=True)
    assert magnitudes == expected
    # the same floats in the same order: the p % rule's sum is the same
    assert math.copysign(1, sum(magnitudes[2:]) or 1.0) \
        == math.copysign(1, sum(expected[2:]) or 1.0)


@settings(max_examples=300, deadline=None)
@given(SORTED, st.booleans(), POLICIES)
def test_group_release_equals_the_generic_rules(ascending, higher_is_better,
                                                policy):
    result, reasons = release.group_release(
        array("d", ascending), higher_is_better, policy)
    expected, expected_reasons = oracle_group_release(
        ascending, higher_is_better, policy)
    assert {key: result[key] for key in release.RELEASED_KEYS} == expected
    assert reasons == expected_reasons


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-1e4, 1e4), min_size=release.AUDIT_MAX_GROUP + 1,
                max_size=release.AUDIT_MAX_GROUP + 40).map(sorted),
       st.booleans(), POLICIES, st.integers(0, 10 ** 6))
def test_release_of_the_stored_array_equals_the_list(ascending, higher_is_better,
                                                     policy, pick):
    own = ascending[pick % len(ascending)]
    assert release.release_kpi(array("d", ascending), own, higher_is_better,
                               policy) == \
        release.release_kpi(ascending, own, higher_is_better, policy)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(allow_nan=False), max_size=300))
def test_float8_array_reads_array_send_bit_for_bit(values):
    """The strided read of ``array_send`` gives every float bit for bit
    (signed zeros, subnormals, infinities), as a parse per value would."""
    data = struct.pack(">iiI", 1 if values else 0, 0, pg_arrays.FLOAT8_OID)
    if values:
        data += struct.pack(">ii", len(values), 1) + b"".join(
            struct.pack(">id", 8, value) for value in values)
    read = pg_arrays.float8_array(data)
    assert [struct.pack(">d", value) for value in read] == \
        [struct.pack(">d", value) for value in values]


def test_no_histogram_when_its_width_overflows():
    """Outside review 14 (F4): values near the float limit made the bars'
    width infinite and the histogram raised on NaN."""
    ascending = [-1.7e308] * 5 + [1.7e308] * 5
    assert release.safe_histogram(ascending, 1.7e308) is None
    assert release.release_kpi(ascending, 1.7e308, True,
                               AnonymityPolicy())["histogram"] is None
