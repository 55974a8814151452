"""Disclosure audit, release model and view model: fixed examples."""
import pytest

from ..lib import analysis_view, disclosure, release
from ..lib.anonymity import AnonymityPolicy
from ..lib.statistics import bucket_index, group_statistics, histogram

POLICY = AnonymityPolicy(5, 10, 0.25, 3, 10.0)
NINE = [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 95.0]


def old_release(values):
    """What the page showed before issue 16 (k, extremes, dominance, top 3)."""
    stats = POLICY.filter_statistics(group_statistics(values), values)
    return {key: stats[key] for key in ("q1", "median", "q3",
                                        "top_quartile_mean")}


def test_nine_firms_old_release_lets_the_best_two_derive_each_other():
    """Issue 16: n = 9, Q3 = 7th value, top group of 3: 3*TQM - Q3 - own."""
    shown = old_release(NINE)
    assert shown["top_quartile_mean"] is not None
    for own_position, other in ((8, 7), (7, 8)):
        derived = 3 * shown["top_quartile_mean"] - shown["q3"] - NINE[own_position]
        assert abs(derived - NINE[other]) < 1e-9
        findings = disclosure.audit(NINE, own_position, shown)
        assert [(f["position"], f["reason"]) for f in findings] == [
            (other, "determined")]


def test_nine_firms_release_withholds_so_nothing_is_derived():
    for own_position, own in enumerate(NINE):
        result = release.release_kpi(NINE, own, True, POLICY)
        shown = {key: result[key] for key in ("q1", "median", "q3",
                                              "top_quartile_mean")}
        assert result["top_quartile_mean"] is None
        assert result["withheld_fields"]["top_quartile_mean"] in (
            release.PROTECT, release.P_PERCENT)
        assert not disclosure.audit(NINE, own_position, shown)
        assert result["median"] == 50.0 and result["count"] == 9


def test_interpolated_median_gives_the_neighbour_away():
    values = [float(v) for v in range(1, 11)]      # median = (x4 + x5) / 2
    findings = disclosure.audit(values, 4, {"median": 5.5})
    assert [(f["position"], f["value"]) for f in findings] == [(5, 6.0)]
    result = release.release_kpi(values, 5.0, True, POLICY)
    assert result["median"] is None
    assert result["withheld_fields"]["median"] == release.PROTECT


def test_p_percent_rule_on_the_top_group_sum():
    assert release.p_percent_sensitive([100.0, 50.0, 5.0], 10)
    assert not release.p_percent_sensitive([100.0, 50.0, 15.0], 10)
    assert not release.p_percent_sensitive([], 10)


def test_extremes_are_never_released():
    values = [float(v) for v in range(100, 140, 2)]
    result = release.release_kpi(values, 110.0, True, POLICY)
    assert "min" not in result and "max" not in result
    assert set(release.released_numbers(result)) <= set(
        release.RELEASED_KEYS + ("rank", "percentile", "of", "histogram"))


def test_one_bucketing_rule_for_counts_and_the_own_bar():
    """Issue 17 item 11: 0, 10, ..., 200; the dealer with 100 was counted in
    one bar and highlighted in the next. Each value three times, so that
    every bar holds enough firms for the histogram's frequency rule."""
    values = sorted(float(v) for v in range(0, 201, 10) for _copy in range(3))
    low, high, counts = histogram(values, 10)
    result = release.release_kpi(values, 100.0, True, POLICY, audit=False)
    bars = result["histogram"]
    edges = bars["edges"]
    assert counts == bars["counts"] and len(edges) == 11
    own_bar = bars["own_bin"]
    assert own_bar == bucket_index(100.0, low, high, 10)
    assert edges[own_bar] <= 100.0 < edges[own_bar + 1]
    for index in range(1, 9):
        inside = [v for v in values if edges[index] <= v < edges[index + 1]]
        assert counts[index] == len(inside), index


def test_decimals_follow_the_unit_not_the_value():
    """Issue 17 item 2: "945.298,60" beside "652.667", "1,80" beside "26"."""
    fmt = (",", ".")
    cell = analysis_view.format_cell
    assert cell(945298.6, "currency", fmt) == "945.299"
    assert cell(652667.0, "currency", fmt) == "652.667"
    assert cell(1.8, "months", fmt) == "1,8"
    assert cell(26.0, "days", fmt) == "26,0"
    assert cell(26.4, "count", fmt) == "26"
    assert cell(12.345, "percent", fmt) == "12,3"
    assert cell(98765.4, "per_employee", fmt) == "98.765"


def test_view_model_cells_say_withheld_to_protect():
    kpi = {"code": "k", "name": "K", "unit": "currency", "unit_label": "EUR",
           "higher_is_better": True, "section": "revenue", "description": ""}
    result = release.release_kpi(NINE, 95.0, True, POLICY)
    view = analysis_view.build_view(
        {"dealer": "D"}, [kpi], [{"id": 1, "name": "P"}], 1, None,
        {(1, "k"): 95.0}, {1: {"k": result}}, (",", "."),
        {"protect": "withheld to protect other firms", "none": "–"})
    row = view["kpis"][0]
    assert row["cells"]["top_quartile_mean"] == "withheld to protect other firms"
    assert row["cells"]["median"] == "50"
    assert row["cells"]["rank"] == "1/9"
    assert "min" not in row["stats"] and "max" not in row["stats"]


def test_the_exact_audit_is_for_small_groups_only(monkeypatch):
    """At 5,000 firms the audit's linear programme ran a director's page
    into the worker's CPU limit (make bench); above AUDIT_MAX_GROUP firms
    the interpolation check stands in for it."""
    calls = []
    real = disclosure.secondary_suppression

    def counted(ascending, *args, **kwargs):
        calls.append(len(ascending))
        return real(ascending, *args, **kwargs)

    monkeypatch.setattr(disclosure, "secondary_suppression", counted)
    policy = AnonymityPolicy()
    for size in (9, release.AUDIT_MAX_GROUP, release.AUDIT_MAX_GROUP + 1, 5000):
        values = [1000.0 + 7.0 * index ** 1.5 for index in range(size)]
        release.release_kpi(values, values[size // 3], True, policy)
    assert calls == [9, release.AUDIT_MAX_GROUP]


@pytest.mark.parametrize("size", [release.AUDIT_MAX_GROUP + 2, 5000])
def test_large_groups_never_give_the_median_neighbour_away(size):
    """n even: the median is the mean of the two middle firms; a viewer who
    is one of them would read the other's value from it."""
    values = [1000.0 + 7.0 * index ** 1.5 for index in range(size)]
    policy = AnonymityPolicy()
    middle = release.release_kpi(values, values[size // 2], True, policy)
    assert middle["median"] is None
    assert middle["withheld_fields"]["median"] == release.PROTECT
    assert middle["q1"] is not None and middle["q3"] is not None
    elsewhere = release.release_kpi(values, values[size // 3], True, policy)
    assert elsewhere["median"] is not None


def test_large_groups_never_give_a_neighbour_away_through_the_histogram_edges():
    """Outside review: the histogram's end edges are the 5th/95th
    percentiles, interpolated between two firms (203 firms: positions 10 and
    11); a viewer at one of them solved the edge for the other."""
    values = [1000.0 + 7.0 * index ** 1.5 for index in range(203)]
    policy = AnonymityPolicy()
    for position in (10, 11, 191, 192):
        result = release.release_kpi(values, values[position], True, policy)
        assert result["histogram"] is None, position
        assert result["withheld_fields"]["histogram"] == release.PROTECT
    assert release.release_kpi(values, values[100], True, policy)["histogram"]
