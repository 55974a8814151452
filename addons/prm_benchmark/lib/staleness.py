"""Which stored statistics a change makes stale: the dependency map.

Group statistics are stored per (period, group, KPI) and recomputed per
period by one aggregate (``statistics_sql``). Every change that can alter a
statistic is an *edge* below: it names the periods and the groups whose
statistics it invalidates, and whether the dealers' KPI values or the group
memberships must be recomputed first. The ORM hooks (``models/``) only
collect the facts of a change (which period, which groups) and call
``marks``; they decide nothing themselves, so the map is complete here.

A mark is a triple ``(period_id, group_id, kpi_id)``; ``group_id`` None
means every group of the period, ``kpi_id`` None every KPI. Only a change
of a counted entry's figures names KPIs: the KPIs whose values of that
entry changed (the save computes them), in the groups the dealer was and
stays in; a group the dealer joins or leaves gets all its KPIs marked
(every value of the dealer enters or leaves it). The refresh recomputes
only the (group, KPI) statistics marked. Marks are written in the
transaction of the change and cleared by the refresh that read them, and
only those: a mark committed after the refresh's snapshot belongs to a
change the refresh did not read and stays for the next one. So a change is never lost.
"""
from collections import OrderedDict, namedtuple

# Which periods an edge invalidates.
ALL_PERIODS = "all periods"          # memberships and KPIs apply to every period
CHANGE_PERIODS = "changed periods"   # the entry's period and the periods whose
#                                      growth KPIs compare with it (next year)
# Which groups.
ALL_GROUPS = "all groups"
CHANGED_GROUPS = "changed groups"    # the group(s) edited
DEALER_GROUPS = "dealer's groups"    # groups of the dealer before and after
NO_GROUPS = "none"                   # nothing stored depends on it any more

# Which KPIs (edges without ``kpis`` mark every KPI).
ALL_KPIS = "all KPIs"
CHANGED_KPIS = "changed KPIs"        # the KPI values the change rewrote

Edge = namedtuple("Edge", "label periods groups recompute_kpis kpis")
Edge.__new__.__defaults__ = (ALL_KPIS,)

# The dependency map. Keys are the change kinds the hooks report.
EDGES = OrderedDict([
    ("group_created", Edge("comparison group created", ALL_PERIODS,
                           CHANGED_GROUPS, False)),
    ("group_members", Edge("explicit members of a group changed", ALL_PERIODS,
                           CHANGED_GROUPS, False)),
    ("group_rules", Edge("rules or activation of a group changed", ALL_PERIODS,
                         CHANGED_GROUPS, False)),
    ("group_deleted", Edge("comparison group deleted (its statistics go with "
                           "it)", ALL_PERIODS, NO_GROUPS, False)),
    ("dealer_attributes", Edge(
        "a dealer's territory, tier, size, region, tags, status, dealer flag "
        "or active flag changed (rule-based groups)", ALL_PERIODS,
        DEALER_GROUPS, False)),
    ("dealer_created", Edge("dealer created", ALL_PERIODS, DEALER_GROUPS,
                            False)),
    ("dealer_deleted", Edge("dealer deleted", ALL_PERIODS, DEALER_GROUPS,
                            False)),
    ("territory_tree", Edge("a territory moved or was (de)activated "
                            "(territory rules include sub-areas)", ALL_PERIODS,
                            CHANGED_GROUPS, False)),
    ("kpi_definition", Edge("a KPI's formula, direction or activation changed",
                            ALL_PERIODS, ALL_GROUPS, True)),
    ("entry_state", Edge("an entry was submitted, checked, sent back or "
                         "reopened", CHANGE_PERIODS, DEALER_GROUPS, False)),
    ("entry_values", Edge("figures of a counted entry changed (also a "
                          "correction in a closed or published period)",
                          CHANGE_PERIODS, DEALER_GROUPS, False, CHANGED_KPIS)),
    ("entry_deleted", Edge("entry deleted", CHANGE_PERIODS, DEALER_GROUPS,
                           False)),
    ("import", Edge("questionnaires imported", CHANGE_PERIODS, ALL_GROUPS,
                    False)),
    ("period_history", Edge("a period's previous-year period changed (a period "
                            "of the year before added, removed or re-dated): "
                            "its growth KPIs compare with another period",
                            CHANGE_PERIODS, ALL_GROUPS, True)),
    ("anonymity_group", Edge("a group's anonymity parameters (k) changed",
                             ALL_PERIODS, CHANGED_GROUPS, False)),
    ("anonymity_global", Edge("network-wide anonymity parameters changed",
                              ALL_PERIODS, ALL_GROUPS, False)),
])

# Dealer fields read by the group rules (``prm.benchmark.group._member_domain``):
# a write of any of them can move the dealer between rule-based groups.
DEALER_RULE_FIELDS = frozenset([
    "prm_territory_id", "prm_tier_id", "prm_size_class", "prm_employee_count",
    "state_id", "category_id", "prm_state", "prm_is_dealer", "active",
])
# Group fields that decide membership.
GROUP_RULE_FIELDS = frozenset([
    "kind", "is_network", "territory_ids", "tier_ids", "size_class", "state_ids",
    "revenue_min", "revenue_max", "category_ids", "active",
])
GROUP_ANONYMITY_FIELDS = frozenset(["min_group_size"])
TERRITORY_TREE_FIELDS = frozenset(["parent_id", "active"])
KPI_FIELDS = frozenset(["formula", "active", "higher_is_better", "code"])
# Global settings (ir.config_parameter) read by the anonymity rules.
ANONYMITY_PARAMETER_PREFIX = "prm_benchmark."


def marks(change, all_periods=(), change_periods=(), changed_groups=(),
          dealer_groups=(), moved_groups=(), changed_kpis=None):
    """The (period_id, group_id or None, kpi_id or None) marks of ``change``.

    ``change``: a key of ``EDGES`` (KeyError otherwise). The facts are id
    iterables collected by the hook; only those the edge names are used.
    ``moved_groups``: the groups the dealer joined or left with the change
    (a revenue band): membership holds for every period, so all their KPIs
    are marked in ``all_periods``, not only in the periods of the change.
    ``changed_kpis``: ``{period_id: KPI ids whose values changed}`` for a
    CHANGED_KPIS edge; a period missing or None marks every KPI (the safe
    default). Returns a sorted list (None sorts first), empty when nothing
    is stale.
    """
    edge = EDGES[change]
    periods = set(all_periods if edge.periods == ALL_PERIODS else change_periods)
    if edge.groups == ALL_GROUPS:
        groups = {None}
    elif edge.groups == CHANGED_GROUPS:
        groups = set(changed_groups)
    elif edge.groups == DEALER_GROUPS:
        groups = set(dealer_groups) | set(moved_groups)
    else:
        groups = set()
    result = {(period, group, None) for period in all_periods
              for group in moved_groups} if edge.groups == DEALER_GROUPS else set()
    for period in periods:
        kpis = (changed_kpis or {}).get(period) \
            if edge.kpis == CHANGED_KPIS else None
        for group in groups:
            if kpis is None or group is None or group in moved_groups:
                result.add((period, group, None))
            else:
                result.update((period, group, kpi) for kpi in kpis)
    return sorted(result, key=lambda mark: (mark[0], mark[1] or 0, mark[2] or 0))


def recompute_scope(period_marks, groups, kpis):
    """Which statistics of one period a refresh recomputes.

    ``period_marks``: iterable of (group_id or None, kpi_id or None,
    recompute_kpis) of the period's marks; ``groups``/``kpis``: the ids of
    all groups (active or not: an inactive group's rows are deleted) and
    all KPIs. Returns None for all of them (a mark without group
    and KPI, a KPI definition change, or every pair marked), or the sorted
    list of (group_id, kpi_id) pairs marked.
    """
    pairs = set()
    for group, kpi, recompute in period_marks:
        if recompute or (group is None and kpi is None):
            return None
        pairs.update((g, k) for g in ([group] if group else groups)
                     for k in ([kpi] if kpi else kpis))
    if all((g, k) in pairs for g in groups for k in kpis):
        return None
    return sorted(pairs)


def is_stale(stale_marks, period_ids, group_id):
    """Whether a view of ``group_id`` over ``period_ids`` shows stale numbers.

    ``stale_marks``: iterable of (period_id, group_id or None).
    """
    periods = set(period_ids)
    return any(period in periods and group in (None, group_id)
               for period, group in stale_marks)
