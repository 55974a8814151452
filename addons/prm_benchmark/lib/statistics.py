"""Group statistics for the comparison, matching PostgreSQL's percentile_cont."""
import math
from fractions import Fraction
from bisect import bisect_left, bisect_right

from odoo.addons.prm_partner_portal.lib.quantiles import percentile_cont

STATISTIC_KEYS = (
    'count', 'mean', 'median', 'q1', 'q3', 'top_quartile_mean', 'min', 'max',
)


def _mean(values):
    if not values:
        return None
    try:
        return math.fsum(values) / len(values)
    except OverflowError:
        # Only near the float limit: the exact sum as a fraction, divided
        # and rounded once (the mean lies within the values, so it is a
        # float). Dividing each value first still overflowed for three
        # times -1.8e308 (property test).
        return float(sum(map(Fraction, values)) / len(values))


def group_statistics(values, higher_is_better=True):
    """Return a dict with the keys in STATISTIC_KEYS for the given values.

    None values are ignored. ``top_quartile_mean`` is the mean of the values
    at or beyond the best quartile boundary: ``>= q3`` when higher is better,
    ``<= q1`` otherwise. An empty group gives count 0 and None elsewhere.
    """
    present = sorted(float(value) for value in values if value is not None)
    if not present:
        stats = dict.fromkeys(STATISTIC_KEYS)
        stats['count'] = 0
        return stats
    q1 = percentile_cont(present, 0.25)
    q3 = percentile_cont(present, 0.75)
    if higher_is_better:
        top_quartile = [value for value in present if value >= q3]
    else:
        top_quartile = [value for value in present if value <= q1]
    return {
        'count': len(present),
        'mean': _mean(present),
        'median': percentile_cont(present, 0.5),
        'q1': q1,
        'q3': q3,
        'top_quartile_mean': _mean(top_quartile),
        'min': present[0],
        'max': present[-1],
    }


def rank_in_sorted(own_value, ascending_values, higher_is_better=True):
    """(rank, percentile) of ``own_value`` in ``ascending_values`` (sorted
    ascending, no None), by bisection in O(log n).

    * rank: 1 + number of group values strictly better than ``own_value``;
      ties share the best rank (competition ranking "1224").
    * percentile: share in percent (0-100) of the group values that
      ``own_value`` is at least as good as, counting equal values and the
      own value itself. The best firm gets 100; the worst of n distinct
      values gets 100 / n.

    Returns (None, None) when ``own_value`` is None or the group is empty.
    The tests compare it with the counting oracle ``tests/oracles.rank_of``.
    """
    count = len(ascending_values)
    if own_value is None or not count:
        return None, None
    below = bisect_left(ascending_values, own_value)
    at_most = bisect_right(ascending_values, own_value)
    if higher_is_better:
        better, at_most_as_good = count - at_most, at_most
    else:
        better, at_most_as_good = below, count - below
    return better + 1, 100.0 * at_most_as_good / count


def bucket_index(value, low, high, bins):
    """The histogram bar (0-based) of ``value``: the one rule for counts and
    for the dealer's own highlighted bar.

    Bars are ``[low + i * width, low + (i + 1) * width)`` with ``width =
    (high - low) / bins``; the last bar is closed (holds ``high``), values
    below ``low`` or above ``high`` fall into the end bars, so single
    extreme firms are not exposed.
    """
    if value <= low:
        return 0
    if value >= high:
        return bins - 1
    return min(int((value - low) / ((high - low) / bins)), bins - 1)


def histogram(ascending_values, bins):
    """Bucket counts between the 5th and the 95th percentile.

    Returns ``(low, high, counts)``, or None when the percentiles coincide.
    Each value goes into ``bucket_index(value, low, high, bins)``.
    """
    low = percentile_cont(ascending_values, 0.05)
    high = percentile_cont(ascending_values, 0.95)
    if low is None or not high > low or math.isinf(high - low):
        # (near the float limit the width overflows: no bars, outside
        # review 14; the product's inputs stay far below it)
        return None
    # The values are sorted and bucket_index never decreases along them: the
    # bars' first positions by bisection, O(bins log n) instead of O(n) calls
    # (5,000 dealers: a third of a page's time went here).
    n = len(ascending_values)
    starts = []
    for bar in range(bins):
        lo, hi = starts[-1] if starts else 0, n
        while lo < hi:
            middle = (lo + hi) // 2
            if bucket_index(ascending_values[middle], low, high, bins) < bar:
                lo = middle + 1
            else:
                hi = middle
        starts.append(lo)
    counts = [end - start for start, end in zip(starts, starts[1:] + [n])]
    return low, high, counts


def histogram_edges(low, high, bins):
    """The ``bins + 1`` bar edges of ``bucket_index``."""
    width = (high - low) / bins
    return [low + width * i for i in range(bins)] + [high]
