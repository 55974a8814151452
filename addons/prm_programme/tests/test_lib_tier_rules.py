"""Tier evaluation rules (plain Python, no ORM)."""
import datetime

import pytest
from hypothesis import given, strategies as st

from ..lib import tier_card, tier_rules
from ..lib.tier_rules import DOWN, UP, TierRule

GOLD = TierRule("gold", 3, {"revenue_4q": 1000000.0, "attainment": 95.0,
                            "benchmark": 3.0, "technicians": 4.0,
                            "response_within": 70.0, "satisfaction": 4.0})
SILVER = TierRule("silver", 2, {"revenue_4q": 400000.0, "attainment": 85.0,
                                "benchmark": 2.0, "technicians": 1.0})
BASIC = TierRule("basic", 1, {})
TIERS = [SILVER, BASIC, GOLD]  # any order


def dealer(revenue, attainment, benchmark, technicians, response, satisfaction):
    return {"revenue_4q": revenue, "attainment": attainment,
            "benchmark": benchmark, "technicians": technicians,
            "response_within": response, "satisfaction": satisfaction}


# A small network with known tiers: (name, figures, current, expected tier)
NETWORK = [
    ("all gold", dealer(1200000, 101, 4, 5, 80, 4.5), "silver", "gold"),
    ("gold on the line", dealer(1000000, 95, 3, 4, 70, 4.0), "gold", "gold"),
    ("gold but slow", dealer(1200000, 101, 4, 5, 69.9, 4.5), "gold", "silver"),
    ("no rating", dealer(1200000, 101, 4, 5, 80, None), "gold", "silver"),
    ("silver", dealer(500000, 90, 2, 1, None, None), "basic", "silver"),
    ("no technician", dealer(500000, 90, 2, 0, 90, 5), "silver", "basic"),
    ("no target", dealer(500000, None, 4, 3, 90, 5), None, "basic"),
    ("small", dealer(100000, 120, 4, 9, 100, 5), "basic", "basic"),
]


@pytest.mark.parametrize("name,values,current,expected", NETWORK)
def test_known_network_gets_known_tiers(name, values, current, expected):
    assert tier_rules.qualified_tier(TIERS, values).key == expected, name
    change = tier_rules.propose(TIERS, values, current)
    if current == expected:
        assert change is None
    else:
        assert change.to_key == expected and change.from_key == current


def test_upgrade_reasons_are_all_criteria_of_the_new_tier():
    change = tier_rules.propose(TIERS, NETWORK[0][1], "silver")
    assert change.direction == UP
    assert [c.criterion for c in change.reasons] == list(tier_rules.CRITERIA)
    assert all(c.met and c.gap == 0.0 for c in change.reasons)


def test_downgrade_reasons_are_the_failed_criteria_with_value_and_threshold():
    change = tier_rules.propose(TIERS, NETWORK[2][1], "gold")
    assert change.direction == DOWN and change.to_key == "silver"
    assert change.reasons == [tier_rules.Check(
        "response_within", 69.9, 70.0, False, pytest.approx(0.1))]
    missing = tier_rules.propose(TIERS, NETWORK[3][1], "gold").reasons
    assert missing == [tier_rules.Check("satisfaction", None, 4.0, False, None)]


def test_downgrade_can_skip_a_tier():
    change = tier_rules.propose(TIERS, dealer(0, 0, 0, 0, 0, 0), "gold")
    assert (change.direction, change.to_key) == (DOWN, "basic")
    assert {c.criterion for c in change.reasons} == set(tier_rules.CRITERIA)


def test_unknown_criterion_is_refused():
    with pytest.raises(tier_rules.RuleError):
        tier_rules.check({"colour": 1}, {})
    with pytest.raises(tier_rules.RuleError):
        tier_rules.qualified_tier([], {})


def test_distance_to_next_tier():
    upper, checks = tier_rules.distance_to_next(
        TIERS, dealer(300000, 90, 2, 0, None, None), "basic")
    assert upper.key == "silver"
    gaps = {c.criterion: c.gap for c in checks}
    assert gaps == {"revenue_4q": 100000.0, "attainment": 0.0,
                    "benchmark": 0.0, "technicians": 1.0}
    assert tier_rules.distance_to_next(TIERS, {}, "gold") == (None, [])
    assert tier_rules.next_tier(TIERS, None).key == "basic"


def test_card_rows_in_german_format():
    _upper, checks = tier_rules.distance_to_next(
        TIERS, dealer(1234567.4, 96.25, 3, 4, None, 3.5), "silver")

    def german(value, digits):
        text = "{:,.{}f}".format(value, digits)
        return text.translate({ord(","): ".", ord("."): ","})
    rows = {row["criterion"]: row
            for row in tier_card.card_rows(checks, tier_rules.CRITERIA, german)}
    assert rows["revenue_4q"]["value"] == "1.234.567"
    assert rows["revenue_4q"]["threshold"] == "1.000.000"
    assert rows["revenue_4q"]["met"] and rows["revenue_4q"]["gap"] == ""
    # the figure as compared: 96.25 rounded half up (tier_rules.shown)
    assert rows["attainment"]["value"] == "96,3"
    assert rows["response_within"]["value"] == "–"
    assert rows["response_within"]["gap"] == "70,0"
    assert rows["satisfaction"]["gap"] == "0,5"


def test_dates_of_windows_and_grace():
    assert tier_rules.trailing_quarters(datetime.date(2026, 11, 30)) == (
        datetime.date(2025, 10, 1), datetime.date(2026, 10, 1))
    assert tier_rules.add_months(datetime.date(2026, 8, 31), 6) == \
        datetime.date(2027, 2, 28)
    assert tier_rules.grace_decision(DOWN, 3, datetime.date(2026, 11, 30)) == (
        "grace", datetime.date(2027, 2, 28))
    assert tier_rules.grace_decision(DOWN, 0, datetime.date(2026, 11, 30)) == (
        "apply", None)
    assert tier_rules.grace_decision(UP, 3, datetime.date(2026, 11, 30)) == (
        "apply", None)


# --- properties ---------------------------------------------------------------

FIGURE = st.one_of(st.none(), st.floats(min_value=0, max_value=2e6))
VALUES = st.fixed_dictionaries({code: FIGURE for code in tier_rules.CRITERIA})
THRESHOLDS = st.dictionaries(st.sampled_from(list(tier_rules.CRITERIA)),
                             st.floats(min_value=0, max_value=2e6))
RULES = st.lists(THRESHOLDS, min_size=1, max_size=4).map(
    lambda rules: [TierRule("t%d" % rank, rank, thresholds)
                   for rank, thresholds in enumerate(rules)])
BETTER = st.fixed_dictionaries(
    {code: st.floats(min_value=0, max_value=1e6) for code in tier_rules.CRITERIA})


def at_least(values, extra):
    """``values`` improved by ``extra`` in every criterion (None: any figure)."""
    return {code: (extra[code] if value is None else value + extra[code])
            for code, value in values.items()}


@given(RULES, VALUES, BETTER)
def test_better_in_every_criterion_never_gets_a_lower_tier(rules, values, extra):
    rank = {tier.key: tier.rank for tier in rules}
    worse = tier_rules.qualified_tier(rules, values)
    better = tier_rules.qualified_tier(rules, at_least(values, extra))
    assert rank[better.key] >= rank[worse.key]


@given(RULES, VALUES, st.integers(min_value=0, max_value=4))
def test_proposal_points_to_the_qualified_tier_with_its_reasons(
        rules, values, current_rank):
    current = next((t.key for t in rules if t.rank == current_rank), None)
    target = tier_rules.qualified_tier(rules, values)
    change = tier_rules.propose(rules, values, current)
    if change is None:
        assert current == target.key
        return
    assert change.to_key == target.key
    if change.direction == DOWN:
        assert change.reasons and not any(c.met for c in change.reasons)
    elif target.rank > min(t.rank for t in rules):
        # an upgrade is met in full; only the lowest tier is the floor of
        # a dealer who meets nothing (no tier yet)
        assert all(c.met for c in change.reasons)


def test_card_rows_carry_the_current_and_the_next_tiers_minimum():
    """The scorecard's tier criteria section and the tier card: value,
    minimum of the current tier, of the next, and the distance."""
    values = dealer(1234567.4, 96.25, 3, 4, None, 3.5)
    _upper, checks = tier_rules.distance_to_next(TIERS, values, "silver")
    own = [tier for tier in TIERS if tier.key == "silver"][0]
    current = tier_rules.check(own.thresholds, values)

    def plain(value, digits):
        return "%.*f" % (digits, value)
    rows = {row["criterion"]: row for row in tier_card.card_rows(
        checks, tier_rules.CRITERIA, plain, current=current)}
    assert set(rows) == {c.criterion for c in checks} | {
        c.criterion for c in current}
    for code, item in ((c.criterion, c) for c in current):
        assert rows[code]["current_threshold"] == plain(
            item.threshold, tier_card.DIGITS[tier_rules.CRITERIA[code]])
    # at the top: no next tier, the current minimums stay
    top = tier_card.card_rows([], tier_rules.CRITERIA, plain, current=current)
    assert top and all(row["threshold"] == "" and row["gap"] == "" and row["met"]
                       for row in top)


def test_card_rows_trend_against_the_comparison_day():
    """Trend per criterion: the figure of the comparison day (a quarter
    before) as shown, and ▲ / ▼ / = as the figures read."""
    values = dealer(1234567.4, 96.24, 3, 4, None, 3.5)
    before = dealer(1000000.0, 96.21, 4, None, 50.0, 3.54)
    _upper, checks = tier_rules.distance_to_next(TIERS, values, "silver")

    def plain(value, digits):
        return "%.*f" % (digits, value)
    rows = {row["criterion"]: row for row in tier_card.card_rows(
        checks, tier_rules.CRITERIA, plain, previous=before)}
    assert rows["revenue_4q"]["previous"] == "1000000"
    assert rows["revenue_4q"]["trend"] == "▲"
    assert rows["benchmark"]["trend"] == "▼"
    # 96.24 and 96.21 both read 96.2 (one decimal): unchanged as shown
    assert rows["attainment"]["trend"] == "="
    # 3.54 reads 3.5 like 3.5
    assert rows["satisfaction"]["trend"] == "="
    # a figure missing on either day: no mark
    assert rows["technicians"]["previous"] == "–"
    assert rows["technicians"]["trend"] == ""
    assert rows["response_within"]["previous"] == "50.0"
    assert rows["response_within"]["trend"] == ""
    # without a comparison: nothing
    rows = tier_card.card_rows(checks, tier_rules.CRITERIA, plain)
    assert all(row["previous"] == "" and row["trend"] == "" for row in rows)


def test_comparison_day_is_a_quarter_before():
    assert tier_rules.comparison_day(datetime.date(2026, 11, 30)) == \
        datetime.date(2026, 8, 30)
    assert tier_rules.comparison_day(datetime.date(2026, 5, 31)) == \
        datetime.date(2026, 2, 28)
    # the comparison day's trailing quarters are the previous quarter's
    assert tier_rules.trailing_quarters(tier_rules.comparison_day(
        datetime.date(2026, 11, 30))) == (datetime.date(2025, 7, 1),
                                          datetime.date(2026, 7, 1))


def test_figures_are_compared_as_shown_and_minimums_fit_the_scale():
    """Outside review 11: a minimum of 97.87 % showed as "97,9" against a
    figure "97,9" with "0,0 %" still missing; a minimum of 7 stars was
    accepted. The figure is compared as shown (half up), a minimum has the
    shown decimals and lies within the scale."""
    tiers = [tier_rules.TierRule("gold", 2, {"attainment": 97.9}),
             tier_rules.TierRule("base", 1, {})]
    (item,) = tier_rules.check(tiers[0].thresholds, {"attainment": 97.86})
    assert item.met and item.value == 97.9 and item.gap == 0.0
    (item,) = tier_rules.check(tiers[0].thresholds, {"attainment": 97.84})
    assert not item.met and item.gap == 0.1
    assert tier_rules.threshold_problem("satisfaction", 7) == ("maximum", 5.0)
    assert tier_rules.threshold_problem("response_within", 100.5) == (
        "maximum", 100.0)
    assert tier_rules.threshold_problem("attainment", 97.87) == ("digits", 1)
    assert tier_rules.threshold_problem("technicians", 1.5) == ("digits", 0)
    assert tier_rules.threshold_problem("attainment", 120.0) is None
    assert tier_rules.threshold_problem("satisfaction", 3.5) is None
    # beyond Decimal's default 28 digits and not finite (review12 2)
    assert tier_rules.threshold_problem("revenue_4q", 1e30) == (
        "maximum", 1e12)
    assert tier_rules.threshold_problem("revenue_4q", float("inf"))[0] == "maximum"
    assert tier_rules.threshold_problem("revenue_4q", float("nan"))[0] == "maximum"
    assert tier_rules.threshold_problem("benchmark", 5.0) == ("maximum", 4.0)
    assert tier_rules.shown("revenue_4q", 1e30) == 1e30
