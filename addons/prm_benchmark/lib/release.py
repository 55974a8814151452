"""The release model: every group number one viewer may receive, in one place.

``release_kpi`` decides, for one dealer (the viewer), one comparison group,
one period and one KPI, which numbers leave the server. The page, the JSON
route and the XLSX export take their statistics only from its result
(through ``analysis_view``), so no route can send more. Extremes (min, max)
and the mean are never part of a dealer's release.

The rules, in order:

1. fewer than k values: nothing (not even N);
2. dominance: one firm above ``max_share`` of a non-negative total withholds
   the sums (top-quartile mean);
3. p % rule on every released sum or mean: the top-quartile mean is
   withheld when the other contributors together are less than p % of the
   largest one (then the second largest could estimate the largest within
   p %), and when the top group has fewer than ``min_top_group_size`` firms;
4. the histogram needs ``min_group_size_extremes`` values, and each inner bar
   holds no other firm or at least ``HISTOGRAM_MIN_FREQUENCY`` of them (the
   minimum-frequency rule of statistical offices for table cells): a bar with
   one or two other firms would pin their values between its edges. Bars
   are coarsened (10, 5, 4, 3, 2 bars) until the rule holds;
5. the disclosure audit (``disclosure.audit``) on what remains, with the
   viewer's own value and rank; if another firm's value could be derived,
   secondary suppression withholds the fewest numbers until it passes. It
   runs for groups of up to ``AUDIT_MAX_GROUP`` firms: its linear programme
   has one variable per firm and grows quadratically (2,000 firms: 0.4 s per
   KPI and period; the network group of 5,000 dealers ran a page into the
   worker's CPU limit, ``make bench``). Above that size the released
   quartiles fall between or on firms far apart from the extremes, the
   top-quartile mean averages at least 50 firms under the p % rule, and
   inner histogram bars hold at least 3 other firms; the one derivation
   left, a quantile interpolated between the viewer and its neighbour, is
   checked directly (``disclosure.interpolation_neighbours``; decision,
   README).
"""
from array import array
from bisect import bisect_left, bisect_right

from . import disclosure
from .statistics import (
    bucket_index, group_statistics, histogram, histogram_edges, rank_in_sorted,
)

RELEASED_KEYS = ("count", "median", "q1", "q3", "top_quartile_mean")
P_PERCENT = "p_percent"
PROTECT = "protect_other_firms"
HISTOGRAM_BINS = 10
#: Firms besides the viewer an inner histogram bar must hold when it holds any.
HISTOGRAM_MIN_FREQUENCY = 3
#: Coarser histograms tried in turn when a finer one breaks the frequency rule.
HISTOGRAM_COARSER_BINS = (5, 4, 3, 2)
#: Largest group the exact disclosure audit runs on (rule 5).
AUDIT_MAX_GROUP = 200


def own_position(ascending, own_value, higher_is_better=True):
    """Index of the viewer's value in the sorted group as the rank tells it.

    Ties: the rank counts only strictly better values, so the viewer sits at
    the best end of its tie block. None when the value is not in the group.
    """
    if own_value is None:
        return None
    if higher_is_better:
        index = bisect_right(ascending, own_value) - 1
    else:
        index = bisect_left(ascending, own_value)
    if 0 <= index < len(ascending) and ascending[index] == own_value:
        return index
    return None


def p_percent_sensitive(contributions, p):
    """The p % rule for a sum of ``contributions`` (magnitudes, |value|).

    Sensitive when the contributions other than the two largest add up to
    less than p % of the largest: the second largest contributor, knowing
    its own value, could then estimate the largest within p %.
    """
    return p_percent_sensitive_descending(
        sorted((abs(value) for value in contributions), reverse=True), p)


def p_percent_sensitive_descending(magnitudes, p):
    """``p_percent_sensitive`` of magnitudes already sorted descending."""
    if not magnitudes or magnitudes[0] == 0:
        return False
    rest = sum(magnitudes[2:])
    return rest < p / 100.0 * magnitudes[0]


def top_magnitudes(ascending, positions):
    """The magnitudes of ``ascending[positions]`` (a ``range``) sorted
    descending, as ``p_percent_sensitive`` sorts them: for a run of values of
    one sign the order of ``ascending`` read from the larger end, without a
    sort; the same sequence of numbers (equal values are interchangeable; a
    -0.0 among non-negative values adds and compares as 0.0).
    """
    values = ascending[positions.start:positions.stop]
    if not len(values):
        return []
    if values[0] >= 0:
        # non-negative: each its own magnitude (-0.0 counts as 0.0)
        return values[::-1]
    if values[-1] <= 0:
        return [abs(value) for value in values]
    return sorted((abs(value) for value in values), reverse=True)


def group_release(ascending, higher_is_better, policy, raw=None):
    """The part of ``release_kpi`` that is the same for every viewer.

    Arguments as there. Returns ``(result, reasons)``: the released
    statistics with ``rank``/``percentile``/``of``/``histogram`` None, and
    ``{withheld key: reason}``. Callers may compute it once per group and
    KPI and pass it to ``release_kpi`` as ``base`` for each viewer.
    """
    stats = dict(raw) if raw is not None else group_statistics(
        list(map(float, ascending)), higher_is_better)
    stats = {key: stats.get(key) for key in RELEASED_KEYS + ("min", "max")}
    filtered = policy.filter_sorted(stats, ascending, higher_is_better)
    result = {key: filtered.get(key) for key in RELEASED_KEYS}
    reasons = {key: reason for key, reason in filtered["withheld_fields"].items()
               if key in RELEASED_KEYS}
    result.update(rank=None, percentile=None, of=None, histogram=None,
                  withheld=filtered["withheld"], withheld_fields=reasons)
    if not filtered["withheld"] and result["top_quartile_mean"] is not None:
        top = disclosure.top_group_positions(
            ascending, higher_is_better, stats["q1"], stats["q3"])
        if p_percent_sensitive_descending(top_magnitudes(ascending, top),
                                          policy.p_percent):
            result["top_quartile_mean"] = None
            reasons["top_quartile_mean"] = P_PERCENT
    return result, reasons


def release_kpi(ascending, own_value, higher_is_better, policy, raw=None,
                bins=HISTOGRAM_BINS, audit=True, base=None):
    """The numbers of one KPI that one viewer may receive.

    ``ascending``: the group's counted values, sorted ascending (head-office
    data, never returned). ``own_value``: the viewer's value or None.
    ``policy``: an ``AnonymityPolicy`` (k, extremes, dominance share, top
    group, ``p_percent``). ``raw``: stored statistics to release (same
    keys as ``group_statistics``), default computed from ``ascending``.
    ``base``: ``group_release`` of the same arguments, if already computed.
    Returns ``{count, median, q1, q3, top_quartile_mean, rank, percentile,
    of, histogram, withheld, withheld_fields}``; ``bins``: 0 for no
    histogram; ``histogram`` is
    ``{"edges": [bins + 1], "counts": [bins], "own_bin": int or None}`` or
    None; ``withheld_fields`` maps a withheld key to its reason.
    """
    # The stored sorted values arrive as array('d') (pg_arrays): floats
    # already; a copy per KPI was a tenth of a cold view at 50,000 dealers.
    if not isinstance(ascending, array) or len(ascending) <= AUDIT_MAX_GROUP:
        ascending = list(map(float, ascending))
    if base is None:
        base = group_release(ascending, higher_is_better, policy, raw)
    result, reasons = dict(base[0]), dict(base[1])
    result["withheld_fields"] = reasons
    if result["withheld"]:
        return result
    rank, percentile = rank_in_sorted(own_value, ascending, higher_is_better)
    result.update(rank=rank, percentile=percentile,
                  of=len(ascending) if rank else None)
    if bins and len(ascending) >= policy.min_group_size_extremes:
        result["histogram"] = safe_histogram(ascending, own_value, bins)
    if audit:
        released = {key: result[key] for key in ("median", "q1", "q3",
                                                 "top_quartile_mean")}
        released["histogram"] = result["histogram"]
        position = own_position(ascending, own_value, higher_is_better)
        if len(ascending) <= AUDIT_MAX_GROUP:
            withheld = disclosure.secondary_suppression(
                ascending, position, released, higher_is_better, policy.p_percent)
        else:
            withheld = disclosure.interpolation_neighbours(
                ascending, position, released)
        for key in withheld:
            result[key] = None
            reasons[key] = PROTECT
    return result


def safe_histogram(ascending, own_value, bins=HISTOGRAM_BINS):
    """The finest histogram whose inner bars each hold no other firm or at
    least ``HISTOGRAM_MIN_FREQUENCY`` other firms.

    ``ascending``: the group's values sorted ascending; ``own_value``: the
    viewer's value (counted in its bar, so not "another firm") or None.
    Tries ``bins`` bars, then ``HISTOGRAM_COARSER_BINS``. The two end bars
    also hold every value beyond the 5th/95th percentile, so they bound no
    firm from both sides and are not checked. Returns ``{"edges": [n + 1],
    "counts": [n], "own_bin": int or None}`` or None.
    """
    for count in (bins,) + tuple(b for b in HISTOGRAM_COARSER_BINS if b < bins):
        bars = histogram(ascending, count)
        if not bars:
            return None
        low, high, counts = bars
        own_bin = None if own_value is None else bucket_index(
            own_value, low, high, count)
        others = [n - (1 if index == own_bin else 0)
                  for index, n in enumerate(counts)]
        if all(n == 0 or n >= HISTOGRAM_MIN_FREQUENCY for n in others[1:-1]):
            return {"edges": histogram_edges(low, high, count), "counts": counts,
                    "own_bin": own_bin}
    return None


def released_numbers(release):
    """Every number of a release (for tests and audits of what was sent)."""
    numbers = {key: release[key] for key in RELEASED_KEYS + (
        "rank", "percentile", "of") if release.get(key) is not None}
    if release.get("histogram"):
        numbers["histogram"] = release["histogram"]
    return numbers
