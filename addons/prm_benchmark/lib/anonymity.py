"""Anonymity rules deciding which group statistics may be published."""
import math
import operator
from bisect import bisect_left, bisect_right
from itertools import repeat

GROUP_TOO_SMALL = 'group_too_small'
GROUP_TOO_SMALL_FOR_EXTREMES = 'group_too_small_for_extremes'
DOMINANT_VALUE = 'dominant_value'
TOP_GROUP_TOO_SMALL = 'top_group_too_small'
# "Give to get": a dealer without an own counted entry in a period sees no
# group statistics of that period.
NO_OWN_ENTRY = 'no_own_entry'


class AnonymityPolicy(object):
    """Thresholds that keep single firms' values from being revealed.

    * min_group_size: fewer values than this and nothing is published.
    * min_group_size_extremes: min and max are real firms' values, so they
      need a larger group.
    * max_share: if one firm holds more than this share of the group total,
      means are withheld because they would mostly reveal that firm's value.
    * min_top_group_size: the top quartile mean needs at least this many
      values in the top quartile; with two, each of them could compute the
      other's value from its own.
    * p_percent: the p % rule (``lib.release``, ``lib.disclosure``): no
      other firm's value may be estimated by a viewer to within p %.
    """

    def __init__(self, min_group_size=5, min_group_size_extremes=10,
                 max_share=0.25, min_top_group_size=3, p_percent=10.0):
        if min_group_size < 1:
            raise ValueError('min_group_size must be at least 1')
        if min_group_size_extremes < min_group_size:
            raise ValueError(
                'min_group_size_extremes must not be below min_group_size')
        if not 0 < max_share <= 1:
            raise ValueError('max_share must be in (0, 1]')
        self.min_group_size = min_group_size
        self.min_group_size_extremes = min_group_size_extremes
        self.max_share = max_share
        self.min_top_group_size = min_top_group_size
        if not 0 <= p_percent < 100:
            raise ValueError('p_percent must be in [0, 100)')
        self.p_percent = p_percent

    def filter_statistics(self, stats, values, higher_is_better=True):
        """Return a copy of ``stats`` with everything unsafe set to None.

        ``stats`` is a dict as returned by ``group_statistics(values, ...)``
        and ``higher_is_better`` must be the same as used there. The result
        has two extra keys: ``withheld`` ('group_too_small' when the whole
        group is withheld, else None) and ``withheld_fields`` (dict of
        withheld key -> reason).
        """
        present = [value for value in values if value is not None]
        return self.filter_with_facts(
            stats, len(present), self._has_dominant_value(present),
            self._top_group_size(stats, present, higher_is_better))

    def filter_sorted(self, stats, ascending, higher_is_better=True):
        """``filter_statistics`` of values sorted ascending without None
        (the stored sorted values of a group): the same result, with the
        facts found by bisection and the ends of the order instead of a pass
        over every value per fact (a view of a 50,000-dealer group tests
        152 such arrays).
        """
        return self.filter_with_facts(
            stats, len(ascending), self._has_dominant_sorted(ascending),
            self._top_group_size_sorted(stats, ascending, higher_is_better))

    def filter_with_facts(self, stats, count, has_dominant, top_group_size):
        """``filter_statistics`` from facts computed elsewhere (e.g. in SQL).

        ``count`` is the number of values, ``has_dominant`` whether one value
        exceeds ``max_share`` of a non-negative total, ``top_group_size`` the
        number of values in the best quartile.
        """
        result = dict(stats)
        withheld_fields = {}

        def withhold(keys, reason):
            for key in keys:
                if key in result:
                    result[key] = None
                    withheld_fields.setdefault(key, reason)

        if count < self.min_group_size:
            # Even N is withheld: keep it simple and safe.
            return withhold_all(stats, GROUP_TOO_SMALL)
        if count < self.min_group_size_extremes:
            withhold(('min', 'max'), GROUP_TOO_SMALL_FOR_EXTREMES)
        if has_dominant:
            withhold(('mean', 'top_quartile_mean'), DOMINANT_VALUE)
        if top_group_size < self.min_top_group_size:
            withhold(('top_quartile_mean',), TOP_GROUP_TOO_SMALL)
        result['withheld'] = None
        result['withheld_fields'] = withheld_fields
        return result

    def _has_dominant_value(self, present):
        # Shares are only meaningful when all values are non-negative and
        # add up to something positive (e.g. revenue, not profit).
        # (the comparisons below through map: the same per value, at C
        # speed; a large group's view tests thousands of values per KPI)
        if any(map(operator.lt, present, repeat(0))):
            return False
        total = sum(present)
        if total <= 0:
            return False
        largest = max(present)
        if math.isinf(total):
            # Values near the float limit: shares of the largest value
            # cannot overflow, an infinite total would hide any dominance.
            return 1 > self.max_share * math.fsum(
                value / largest for value in present)
        return largest > self.max_share * total

    def _has_dominant_sorted(self, ascending):
        # _has_dominant_value of sorted values: the smallest value tells
        # whether any is negative, the last one is the largest; the total
        # is summed in the same order, so the same float.
        if not len(ascending) or ascending[0] < 0:
            return False
        total = sum(ascending)
        if total <= 0:
            return False
        largest = ascending[-1]
        if math.isinf(total):
            return 1 > self.max_share * math.fsum(
                value / largest for value in ascending)
        return largest > self.max_share * total

    @staticmethod
    def _top_group_size_sorted(stats, ascending, higher_is_better):
        boundary = stats.get('q3' if higher_is_better else 'q1')
        if boundary is None:
            return 0
        if higher_is_better:
            return len(ascending) - bisect_left(ascending, boundary)
        return bisect_right(ascending, boundary)

    @classmethod
    def _top_group_size(cls, stats, present, higher_is_better):
        return cls._top_group_size_sorted(stats, sorted(present),
                                          higher_is_better)


def withhold_all(stats, reason):
    """``stats`` with every value None, ``withheld`` set to ``reason``."""
    result = {key: None for key in stats}
    result['withheld'] = reason
    result['withheld_fields'] = {key: reason for key in stats}
    return result


def differencing_conflict(members_a, members_b, min_group_size):
    """Return True if showing both groups could reveal a few firms' values.

    Two overlapping groups (sets of dealer ids) whose symmetric difference
    has between 1 and ``min_group_size - 1`` members let a user who sees the
    statistics of both subtract one from the other and learn about those few
    firms. Then the smaller group's statistics must be withheld for a user
    who can see both groups.
    """
    members_a, members_b = set(members_a), set(members_b)
    if not members_a & members_b:
        return False
    return 1 <= len(members_a ^ members_b) < min_group_size


def _pair_counts(mask_counts):
    """``(sizes, shared)`` of the groups in ``mask_counts`` (see below):
    dealers per group and per pair of groups ``(a, b)``, a < b."""
    sizes, shared = {}, {}
    for mask, count in mask_counts.items():
        mask = sorted(set(mask))
        for index, first in enumerate(mask):
            sizes[first] = sizes.get(first, 0) + count
            for second in mask[index + 1:]:
                shared[(first, second)] = shared.get((first, second), 0) + count
    return sizes, shared


def contribution_differences(mask_counts):
    """Pairs of groups whose contributors to one statistic differ by few.

    ``mask_counts`` maps a tuple of group ids (the groups a dealer belongs
    to) to the number of dealers with exactly these groups whose value the
    statistic counts. Returns ``{(a, b): (difference, smaller)}`` (a < b)
    for the overlapping pairs that conflict for some threshold: contributor
    sets differing by ``difference`` dealers, the smaller having ``smaller``
    contributors. Such a pair conflicts for a threshold ``k`` exactly when
    ``difference < k <= smaller`` (as in ``safe_groups`` with contributions),
    so the result can be stored once and used for any ``k``.
    """
    sizes, shared = _pair_counts(mask_counts)
    result = {}
    for (first, second), both in shared.items():
        if not both:
            continue
        difference = sizes[first] + sizes[second] - 2 * both
        smaller = min(sizes[first], sizes[second])
        if 1 <= difference < smaller:
            result[(first, second)] = (difference, smaller)
    return result


def overlap_differences(mask_counts):
    """``{(a, b): (difference, smaller)}`` of every overlapping pair that
    differs at all: the pairs ``differencing_conflict`` can find for some
    threshold (it conflicts for ``k`` exactly when ``difference < k``).

    ``mask_counts`` as in ``contribution_differences``, here of the firms in
    each group's top group (those averaged in the top-quartile mean), so
    the pairs can be stored with the statistics and a view needs no scan.
    """
    sizes, shared = _pair_counts(mask_counts)
    return {(first, second): (sizes[first] + sizes[second] - 2 * both,
                              min(sizes[first], sizes[second]))
            for (first, second), both in shared.items()
            if both and sizes[first] + sizes[second] - 2 * both >= 1}


def safe_groups(groups, min_group_size, contributions=(), conflicts=()):
    """Return the names of the groups that may be shown together.

    ``groups`` maps group name -> set of dealer ids. Groups are considered
    from largest to smallest (ties by name) and kept unless they conflict
    with an already kept group, so of any conflicting pair the smaller one
    is dropped. Groups with fewer than ``min_group_size`` members show no
    statistics anyway; they are not returned and do not block others.
    Only pairs are checked, not combinations of three or more groups.

    ``contributions``: for each statistic shown (e.g. per period and KPI) a
    dict group name -> set of dealers whose value it counts. Members
    without figures do not count, so two groups differing by many members
    may still differ by a single contributor; that is a conflict too
    (unless one of the two has fewer than ``min_group_size`` contributors:
    that statistic is withheld anyway).

    ``conflicts``: pairs of group names already known to conflict (e.g.
    from ``contribution_differences`` stored with the statistics).
    """
    contributions = list(contributions)
    known = {frozenset(pair) for pair in conflicts}

    def conflict(a, b):
        if frozenset((a, b)) in known:
            return True
        if differencing_conflict(groups[a], groups[b], min_group_size):
            return True
        for counted in contributions:
            first, second = counted.get(a, set()), counted.get(b, set())
            if len(first) >= min_group_size and len(second) >= min_group_size \
                    and differencing_conflict(first, second, min_group_size):
                return True
        return False

    candidates = sorted(
        (name for name, members in groups.items()
         if len(members) >= min_group_size),
        key=lambda name: (-len(groups[name]), str(name)))
    kept = []
    for name in candidates:
        if not any(conflict(name, other) for other in kept):
            kept.append(name)
    return set(kept)
