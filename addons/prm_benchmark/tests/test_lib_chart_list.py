"""The analysis page's chart list (``lib.analysis_view.chart_list``): which
charts the page draws, derived from the KPI records, never from fixed codes."""
from ..lib import formula
from ..lib.analysis_view import (CHART_HINTS, CHART_KINDS, CHART_TEXT_KEYS,
                                 chart_list, per_employee_variants)

TEXTS = dict({key: key.upper() + " %s" for key in CHART_TEXT_KEYS},
             index_unit="INDEX", profile="PROFILE", mix_donut="MIX",
             mix_periods="MIX OVER TIME", attainment="ATTAINMENT")
TEXTS["and"] = "%s + %s"
SECTIONS = [{"key": "revenue", "label": "Revenue"},
            {"key": "capital", "label": "Capital"},
            {"key": "empty", "label": "Nothing"}]


def kpi(code, hint="bar", section="revenue", unit="percent", **extra):
    return dict({"code": code, "name": code.title(), "unit": unit,
                 "unit_label": unit + " label", "section": section,
                 "chart_hint": hint}, **extra)


def by_id(charts):
    return {chart["id"]: chart for chart in charts}


def test_hints_decide_the_kpis_own_charts():
    kpis = [kpi("sales", "line_quartiles", unit="currency"),
            kpi("growth", "line"),
            kpi("quiet"),
            kpi("hidden", "none"),
            kpi("reach", "line_combined", "capital", "days"),
            kpi("dso", "line_combined", "capital", "days"),
            kpi("dpo", "line_combined", "capital", "days"),
            kpi("turns", "line_combined", "capital", "ratio"),
            kpi("m1", "bar_compare", "capital"),
            kpi("m2", "bar_compare", "capital")]
    charts = chart_list(kpis, SECTIONS, TEXTS, mix=False)
    charts_by_id = by_id(charts)
    assert len(charts_by_id) == len(charts), "ids are unique"
    sales = charts_by_id["trend_sales"]
    assert (sales["kind"], sales["kpis"], sales["quartiles"], sales["unit"],
            sales["title"]) == ("trend", ["sales"], True, "currency", "TREND Sales")
    assert charts_by_id["trend_growth"]["quartiles"] is False
    days = charts_by_id["trend_capital_days"]
    assert (days["kind"], days["kpis"], days["unit_label"], days["title"]) == (
        "trend_multi", ["reach", "dso", "dpo"], "days label",
        "TREND Reach, Dso + Dpo")
    assert charts_by_id["trend_capital_ratio"]["kpis"] == ["turns"]
    assert charts_by_id["bars_capital_percent"]["kind"] == "bar_compare"
    assert charts_by_id["bars_capital_percent"]["kpis"] == ["m1", "m2"]
    # Section charts: every charted KPI of the section; none for an empty one.
    assert charts_by_id["cmp_revenue"]["kpis"] == ["sales", "growth", "quiet"]
    assert charts_by_id["range_capital"]["title"] == "RANGE Capital"
    assert "cmp_empty" not in charts_by_id and "trend_quiet" not in charts_by_id
    assert all("hidden" not in chart["kpis"] for chart in charts)
    assert charts[-1]["kind"] == "profile" and "hidden" not in charts[-1]["kpis"]


def test_renamed_or_added_kpi_changes_the_charts():
    before = chart_list([kpi("dso", "line")], SECTIONS, TEXTS, mix=False)
    after = chart_list([kpi("days_sales", "line"), kpi("new", "line")],
                       SECTIONS, TEXTS, mix=False)
    assert "trend_dso" in by_id(before)
    assert by_id(after)["trend_days_sales"]["kpis"] == ["days_sales"]
    assert by_id(after)["trend_new"]["kind"] == "trend"
    assert by_id(after)["profile"]["kpis"] == ["days_sales", "new"]


def test_unknown_hint_counts_as_section_charts_only():
    charts = chart_list([kpi("odd", "sparkline")], SECTIONS, TEXTS, mix=False)
    assert [c["kind"] for c in charts] == ["index_compare", "range", "profile"]


def test_histograms_only_where_asked_and_released():
    kpis = [kpi("a", chart_distribution=True), kpi("b", chart_distribution=True),
            kpi("c")]
    charts = chart_list(kpis, SECTIONS, TEXTS, distribution={"a", "c"}, mix=False)
    histograms = [c for c in charts if c["kind"] == "histogram"]
    assert [(c["id"], c["kpis"], c["unit"]) for c in histograms] == [
        ("hist_a", ["a"], "percent")]


def test_mix_and_targets_charts():
    charts = by_id(chart_list(
        [kpi("a")], SECTIONS, TEXTS, target_metric={
            "code": "units", "name": "Machines", "unit": "count"},
        unit_labels={"currency": "EUR", "per_employee": "EUR/head",
                     "count": "pcs"}))
    assert charts["mix_donut"]["unit_label"] == "EUR"
    assert charts["mix_periods"]["per_employee_unit_label"] == "EUR/head"
    target = charts["targets_units"]
    assert (target["kind"], target["metric"], target["unit_label"],
            target["title"]) == ("target_rows", "units", "pcs",
                                 "TARGET_ROWS Machines")
    assert charts["targets_attainment"]["kind"] == "target_attainment"
    assert "targets_attainment" not in by_id(chart_list([kpi("a")], SECTIONS, TEXTS))


def test_per_employee_variant_comes_from_the_formula():
    kpis = [kpi("sales", "line", unit="currency"),
            kpi("sales_head", unit="per_employee"),
            kpi("odd_head", unit="per_employee"),
            kpi("ratio", unit="percent")]
    trees = {"sales": formula.parse("a + b").tree,
             "sales_head": formula.parse("sales / employees").tree,
             "odd_head": formula.parse("sales / employees * 2").tree,
             "ratio": formula.parse("sales / employees").tree}
    variants = per_employee_variants(kpis, trees)
    assert variants == {"sales": "sales_head"}
    trend = by_id(chart_list(kpis, SECTIONS, TEXTS, variants, mix=False))[
        "trend_sales"]
    assert (trend["per_employee"], trend["per_employee_title"]) == (
        "sales_head", "TREND Sales_Head")


def test_every_kind_is_a_registry_key():
    kpis = [kpi("a", hint, chart_distribution=True) for hint in CHART_HINTS]
    kpis = [dict(k, code="k%d" % i) for i, k in enumerate(kpis)]
    charts = chart_list(kpis, SECTIONS, TEXTS, distribution={k["code"] for k in kpis},
                        target_metric={"code": "m", "name": "M", "unit": "count"})
    assert {chart["kind"] for chart in charts} == set(CHART_KINDS)
