"""The scorecard builder (plain Python, no ORM)."""
import pytest

from ..lib import scorecard

TEXTS = {key: key.upper() for key in scorecard.TEXT_KEYS}
DE = (",", ".")


def data(**extra):
    base = {
        "targets": [{"metric": "Revenue", "unit": "€", "digits": 0, "periods": [
            {"name": "Q1", "target": 1000.0, "actual": 900.0, "attainment": 90.0},
            {"name": "Q2", "target": 1000.0, "actual": 1096.3,
             "attainment": 109.63}]}],
        "benchmark": None,
        "leads": {"count": 12, "open": 2, "overdue": 1, "median_hours": 5.25,
                  "p90_hours": 30.0, "within_target": 75.0},
        "claims": {"total": 3, "open": 1},
        "receivables": None,
        "feedback": {"rating": 4.25, "count": 4},
    }
    base.update(extra)
    return base


def by_key(sections):
    return {section["key"]: section for section in sections}


def test_targets_latest_period_trend_and_german_numbers():
    targets = by_key(scorecard.build_scorecard(data(), TEXTS, DE))["targets"]
    assert targets["subtitle"] == "Q2"
    assert targets["columns"] == ["TARGET", "ACTUAL", "ATTAINMENT",
                                  "Q1 (ATTAINMENT)", "TREND"]
    assert targets["rows"] == [{"label": "Revenue", "cells": [
        "1.000 €", "1.096 €", "109,6 %", "90,0 %", scorecard.UP]}]


def test_only_the_last_four_periods():
    periods = [{"name": "P%d" % i, "target": 10.0, "actual": 10.0 - i,
                "attainment": 100.0 - 10 * i} for i in range(6)]
    section = by_key(scorecard.build_scorecard(
        data(targets=[{"metric": "M", "unit": "", "periods": periods}]),
        TEXTS, DE))["targets"]
    assert section["subtitle"] == "P5"
    assert section["columns"][3:6] == [
        "P2 (ATTAINMENT)", "P3 (ATTAINMENT)", "P4 (ATTAINMENT)"]
    assert section["rows"][0]["cells"][-1] == scorecard.DOWN


def test_no_receivables_section_without_accounting():
    keys = [s["key"] for s in scorecard.build_scorecard(data(), TEXTS, DE)]
    assert keys == ["targets", "benchmark", "leads", "claims", "feedback"]
    sections = by_key(scorecard.build_scorecard(
        data(receivables={"open": 1234.5, "overdue": 0.0}, currency="€"),
        TEXTS, DE))
    assert sections["receivables"]["rows"][0]["cells"] == ["1.234,50 €"]


def test_benchmark_cells_pass_through_as_released():
    bench = {"period": "2025", "group": "All", "note": "", "rows": [
        {"name": "Margin", "unit": "%", "own": "12,0", "median": "PROTECTED",
         "rank": "", "change": ""}]}
    section = by_key(scorecard.build_scorecard(
        data(benchmark=bench), TEXTS, DE))["benchmark"]
    assert section["subtitle"] == "2025 – All"
    assert section["rows"] == [{"label": "Margin (%)",
                                "cells": ["12,0", "PROTECTED", "", ""]}]
    empty = by_key(scorecard.build_scorecard(data(), TEXTS, DE))["benchmark"]
    assert empty["rows"] == [] and empty["note"] == "BENCHMARK_NONE"


def test_leads_hours_and_feedback_without_ratings():
    sections = by_key(scorecard.build_scorecard(
        data(feedback={"rating": 0.0, "count": 0}), TEXTS, DE))
    cells = [row["cells"][0] for row in sections["leads"]["rows"]]
    assert cells == ["12", "2", "1", "5,2 HOURS", "30,0 HOURS", "75,0 %"]
    assert sections["feedback"]["rows"][0]["cells"] == [""]


def test_trend_mark():
    assert scorecard.trend_mark([None, 1.0]) == ""
    assert scorecard.trend_mark([1.0, None, 2.0]) == scorecard.UP
    assert scorecard.trend_mark([2.0, 1.0], higher_is_better=False) == scorecard.UP
    assert scorecard.trend_mark([2.0, 2.0]) == scorecard.SAME


def test_missing_text_is_refused():
    texts = dict(TEXTS)
    del texts["claims"]
    with pytest.raises(KeyError):
        scorecard.build_scorecard(data(), texts, DE)


def test_tier_criteria_section_from_the_tier_card_rows():
    tier = {"tier": "Standard", "next_tier": "Premium",
            "evaluated_on": "30.11.2026", "rows": [
                {"criterion": "satisfaction", "label": "Satisfaction",
                 "unit": "of 5 stars", "value": "3,0", "current_threshold": "2,0",
                 "threshold": "4,0", "gap": "1,0", "met": False},
                {"criterion": "technicians", "label": "Technicians", "unit": "",
                 "value": "6", "current_threshold": "1", "threshold": "5",
                 "gap": "", "met": True}]}
    section = by_key(scorecard.build_scorecard(
        data(tier=tier), dict(TEXTS, tier_subtitle="%(tier)s/%(next)s/%(date)s"),
        DE))["tier"]
    assert section["subtitle"] == "Standard/Premium/30.11.2026"
    assert section["columns"] == ["TIER_VALUE", "TIER_MIN_CURRENT",
                                  "TIER_MIN_NEXT", "TIER_GAP"]
    assert section["rows"] == [
        {"label": "Satisfaction", "cells": ["3,0 of 5 stars", "2,0 of 5 stars",
                                            "4,0 of 5 stars", "1,0 of 5 stars"]},
        {"label": "Technicians", "cells": ["6", "1", "5", "✓"]}]
    # without an evaluation the reader may see: no section
    assert "tier" not in by_key(scorecard.build_scorecard(data(), TEXTS, DE))


def test_tier_criteria_section_shows_the_quarter_before_with_its_trend():
    tier = {"tier": "Standard", "next_tier": "Premium",
            "evaluated_on": "30.11.2026", "previous_on": "30.08.2026", "rows": [
                {"criterion": "satisfaction", "label": "Satisfaction",
                 "unit": "of 5 stars", "value": "3,0", "current_threshold": "2,0",
                 "threshold": "4,0", "gap": "1,0", "met": False,
                 "previous": "3,4", "trend": scorecard.DOWN},
                {"criterion": "technicians", "label": "Technicians", "unit": "",
                 "value": "6", "current_threshold": "1", "threshold": "5",
                 "gap": "", "met": True, "previous": "–", "trend": ""}]}
    section = by_key(scorecard.build_scorecard(
        data(tier=tier), dict(TEXTS, tier_previous="before %(date)s"),
        DE))["tier"]
    assert section["columns"][-1] == "before 30.08.2026"
    assert [row["cells"][-1] for row in section["rows"]] == [
        "3,4 of 5 stars ▼", "–"]


def test_tier_criteria_section_puts_no_unit_after_a_dash():
    """A criterion without a figure is "–", not "– %" (outside review 10)."""
    tier = {"tier": "Standard", "next_tier": "Premium",
            "evaluated_on": "30.11.2026", "previous_on": "30.08.2026", "rows": [
                {"criterion": "attainment", "label": "Attainment", "unit": "%",
                 "value": "–", "current_threshold": "90,0", "threshold": "98,0",
                 "gap": "98,0", "met": False, "previous": "–", "trend": ""}]}
    section = by_key(scorecard.build_scorecard(
        data(tier=tier), dict(TEXTS, tier_previous="before %(date)s"),
        DE))["tier"]
    assert section["rows"][0]["cells"] == ["–", "90,0 %", "98,0 %", "98,0 %", "–"]
