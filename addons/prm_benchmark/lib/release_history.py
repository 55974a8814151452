"""Release rule for successive statistics of the same group (time differencing).

Statistics of an open period are refreshed live. Two visible releases of the
same (period, group, KPI) whose contributor sets differ by one dealer let
anyone who saw both compute that dealer's value (``mean_b * n_b - mean_a *
n_a``, or from the quartiles' moves). So a fresh computation replaces the
published one only when its contributors differ from those of the last
*visible* release (one that was not withheld as a whole) by at least
``min_difference`` dealers, added or removed (symmetric difference);
otherwise the previous release stays published. Comparing with the last
visible release, not merely the last one, matters: a withheld release in
between shows nothing, and must not let two visible releases a single
firm apart follow each other.

Publishing a period is no exception: its final statistics replace the last
visible release only under the same rule. Otherwise a dealer who saw the last
live release and then the published one could difference the few late
submissions or corrections between them (outside review of issue 16). The
statistics that stay at an earlier release are marked "held back" with
their release time.
"""

RELEASE = 'release'
KEEP = 'keep'


def changed_firms(before, after):
    """How many firms' contributions differ between two releases.

    ``before``/``after``: dict dealer id -> value (or a set of dealer ids:
    values unknown, compared as equal). Added, removed and stayed dealers
    whose value changed count one each.
    """
    before = before if isinstance(before, dict) else dict.fromkeys(before)
    after = after if isinstance(after, dict) else dict.fromkeys(after)
    return len(before.keys() ^ after.keys()) + sum(
        1 for dealer in before.keys() & after.keys()
        if before[dealer] != after[dealer])


def release_decision(released, last_visible, current, min_difference,
                     statistics_changed=False):
    """Whether the fresh statistics over ``current`` may be published.

    ``released``: the contributions of the statistics published now, a
    dict dealer id -> value (or a set of dealer ids; None: nothing yet).
    ``last_visible``: those of the last release that was shown (None: none
    was). ``current``: those the fresh statistics count. A changed value
    of a firm that stays counts like a firm added or removed.
    ``min_difference``: int >= 1 (also for a published period).
    ``statistics_changed``: the fresh statistics differ from the released
    ones; with the same contributions that is a change of definition (the
    KPI's direction moves the top-quartile mean to the other end): released
    at once, since two computations over the same firms and values let no
    firm be differenced out, and the released numbers would be wrong.
    Returns RELEASE or KEEP (KEEP also when nothing changed). Raises
    ValueError for ``min_difference`` < 1.
    """
    if min_difference < 1:
        raise ValueError('min_difference must be at least 1')
    if released is not None and not changed_firms(released, current):
        return RELEASE if statistics_changed else KEEP
    if last_visible is None:
        return RELEASE
    if changed_firms(last_visible, current) >= min_difference:
        return RELEASE
    return KEEP


def is_visible(count, min_group_size):
    """A release of ``count`` contributors is shown (not withheld as a whole)."""
    return count >= min_group_size
