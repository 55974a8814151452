"""The dependency map of stale statistics (pure Python)."""
import pytest

from ..lib import staleness


def test_every_edge_names_its_periods_and_groups():
    for name, edge in staleness.EDGES.items():
        assert edge.periods in (staleness.ALL_PERIODS, staleness.CHANGE_PERIODS), name
        assert edge.groups in (staleness.ALL_GROUPS, staleness.CHANGED_GROUPS,
                               staleness.DEALER_GROUPS, staleness.NO_GROUPS), name
        assert edge.label


def test_the_kinds_named_in_issue_18_are_edges():
    for name in ("group_members", "group_rules", "dealer_attributes",
                 "kpi_definition", "entry_state", "entry_values", "entry_deleted",
                 "dealer_deleted", "import", "anonymity_group", "anonymity_global"):
        assert name in staleness.EDGES
    assert {"prm_territory_id", "prm_tier_id", "prm_size_class", "state_id",
            "prm_state", "active"} <= staleness.DEALER_RULE_FIELDS


def test_marks_of_a_save_are_its_periods_and_the_dealers_groups():
    marks = staleness.marks("entry_values", all_periods=[1, 2, 3],
                            change_periods=[2, 3], dealer_groups=[7, 5])
    assert marks == [(2, 5, None), (2, 7, None), (3, 5, None), (3, 7, None)]


def test_a_save_marks_only_the_kpis_whose_values_changed():
    marks = staleness.marks("entry_values", change_periods=[2, 3],
                            dealer_groups=[7, 5], changed_kpis={2: {11, 12}})
    # period 3's KPIs were not computed: every KPI, the safe default
    assert marks == [(2, 5, 11), (2, 5, 12), (2, 7, 11), (2, 7, 12),
                     (3, 5, None), (3, 7, None)]
    # no KPI value changed: the statistics cannot change
    assert staleness.marks("entry_values", change_periods=[2],
                           dealer_groups=[7], changed_kpis={2: set()}) == []


def test_a_group_the_dealer_joins_or_leaves_gets_every_kpi_marked():
    marks = staleness.marks("entry_values", all_periods=[1, 2], change_periods=[2],
                            dealer_groups=[7], moved_groups=[8],
                            changed_kpis={2: {11}})
    # membership holds for every period: the group's other periods too
    assert marks == [(1, 8, None), (2, 7, 11), (2, 8, None)]


def test_only_figure_changes_name_kpis():
    for name, edge in staleness.EDGES.items():
        expected = staleness.CHANGED_KPIS if name == "entry_values" \
            else staleness.ALL_KPIS
        assert edge.kpis == expected, name
    # a state change counts or uncounts all the entry's values
    assert staleness.marks("entry_state", change_periods=[2], dealer_groups=[7],
                           changed_kpis={2: {11}}) == [(2, 7, None)]


def test_recompute_scope_is_the_marked_pairs_or_everything():
    groups, kpis = [1, 2, 3], [10, 11]
    assert staleness.recompute_scope([(2, 11, False), (1, 11, False)],
                                     groups, kpis) == [(1, 11), (2, 11)]
    assert staleness.recompute_scope([(2, None, False)], groups, kpis) == [
        (2, 10), (2, 11)]
    assert staleness.recompute_scope([(None, 10, False)], groups, kpis) == [
        (1, 10), (2, 10), (3, 10)]
    assert staleness.recompute_scope([(2, 11, False), (None, None, False)],
                                     groups, kpis) is None
    assert staleness.recompute_scope([(2, 11, True)], groups, kpis) is None
    every = [(g, k, False) for g in groups for k in kpis]
    assert staleness.recompute_scope(every, groups, kpis) is None


def test_group_change_marks_every_period_of_that_group_only():
    assert staleness.marks("group_members", all_periods=[1, 2],
                           changed_groups=[9]) == [(1, 9, None), (2, 9, None)]


def test_kpi_change_marks_every_group_and_recomputes_kpis():
    assert staleness.marks("kpi_definition", all_periods=[4, 3]) == [
        (3, None, None), (4, None, None)]
    assert staleness.EDGES["kpi_definition"].recompute_kpis


def test_deleted_group_needs_no_mark_and_unknown_change_is_an_error():
    assert staleness.marks("group_deleted", all_periods=[1],
                           changed_groups=[2]) == []
    with pytest.raises(KeyError):
        staleness.marks("weather", all_periods=[1])


def test_is_stale_for_the_group_or_for_all_groups():
    assert staleness.is_stale([(1, 5)], [1, 2], 5)
    assert staleness.is_stale([(2, None)], [1, 2], 5)
    assert not staleness.is_stale([(1, 6)], [1, 2], 5)
    assert not staleness.is_stale([(3, None)], [1, 2], 5)
