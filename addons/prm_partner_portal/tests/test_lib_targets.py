"""Attainment and territory roll-up (plain Python)."""
import pytest

from ..lib import targets


def test_attainment_percent():
    assert targets.attainment_percent(200.0, 150.0) == 75.0
    assert targets.attainment_percent(0.0, 150.0) is None
    assert targets.attainment_percent(None, 10.0) is None
    assert targets.attainment_percent(100.0, None) is None


def test_combine_sums_and_weights_averages():
    rows = [{"target": 100.0, "actual": 90.0, "count": 1},
            {"target": 300.0, "actual": 330.0, "count": 3}]
    summed = targets.combine(rows, "sum")
    assert summed == {"target": 400.0, "actual": 420.0, "count": 4,
                      "attainment": 105.0}
    averaged = targets.combine(rows, "avg")
    assert averaged["target"] == 100.0
    assert averaged["actual"] == 105.0
    assert averaged["attainment"] == pytest.approx(105.0)


def test_rollup_gives_each_ancestor_its_subtree():
    parent_of = {1: None, 2: 1, 3: 1, 4: 2}
    rows = [{"territory_id": 4, "v": "a"}, {"territory_id": 3, "v": "b"},
            {"territory_id": 2, "v": "c"}]
    grouped = targets.rollup(rows, parent_of)
    assert sorted(r["v"] for r in grouped[1]) == ["a", "b", "c"]
    assert sorted(r["v"] for r in grouped[2]) == ["a", "c"]
    assert [r["v"] for r in grouped[3]] == ["b"]
    assert [r["v"] for r in grouped[4]] == ["a"]


def test_ancestors_map_survives_a_cycle():
    chains = targets.ancestors_map({1: 2, 2: 1})
    assert chains[1] == [1, 2]
