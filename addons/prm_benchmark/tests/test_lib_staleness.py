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
    assert marks == [(2, 5), (2, 7), (3, 5), (3, 7)]


def test_group_change_marks_every_period_of_that_group_only():
    assert staleness.marks("group_members", all_periods=[1, 2],
                           changed_groups=[9]) == [(1, 9), (2, 9)]


def test_kpi_change_marks_every_group_and_recomputes_kpis():
    assert staleness.marks("kpi_definition", all_periods=[4, 3]) == [
        (3, None), (4, None)]
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
