"""Response-time statistics and business hours (plain Python)."""
import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ..lib import feedback, response_time

dt = datetime.datetime
# 2026-03-02 is a Monday.
MONDAY = dt(2026, 3, 2)


def test_percentile_interpolates_like_percentile_cont():
    values = [1.0, 2.0, 3.0, 4.0, 10.0]
    assert response_time.percentile(values, 0.5) == 3.0
    assert response_time.percentile(values, 0.9) == pytest.approx(7.6)  # 4+.6*6
    assert response_time.percentile(values, 0.0) == 1.0
    assert response_time.percentile(values, 1.0) == 10.0
    assert response_time.percentile([2.0, 8.0], 0.5) == 5.0
    assert response_time.percentile([7.0], 0.9) == 7.0
    assert response_time.percentile([], 0.5) is None
    with pytest.raises(ValueError):
        response_time.percentile(values, 1.5)


def test_summarize_with_one_target():
    summary = response_time.summarize([4.0, 1.0, 10.0, 3.0, 2.0, None], 3.0)
    assert summary["count"] == 5  # None = not answered yet, ignored
    assert summary["median"] == 3.0
    assert summary["p90"] == pytest.approx(7.6)
    assert summary["within_target_share"] == pytest.approx(0.6)  # 1, 2 and 3


def test_summarize_with_a_target_per_lead():
    # chat leads (4 h target) answered after 1 h and 5 h, fair leads (48 h)
    # after 3 h and 50 h: two of four within their own target.
    summary = response_time.summarize([1.0, 5.0, 3.0, 50.0], [4, 4, 48, 48])
    assert summary["count"] == 4
    assert summary["median"] == 4.0  # between 3 and 5
    assert summary["p90"] == pytest.approx(36.5)  # 5 + 0.7 * 45
    assert summary["within_target_share"] == 0.5


def test_summarize_edge_cases():
    assert response_time.summarize([], 24) == {
        "count": 0, "median": None, "p90": None, "within_target_share": None}
    # exactly on target counts as within; a missing target means the default
    assert response_time.summarize([24.0, 24.5], [None, None])[
        "within_target_share"] == 0.5
    with pytest.raises(ValueError):
        response_time.summarize([1.0, 2.0], [4])


@pytest.mark.parametrize("start, end, hours", [
    (MONDAY.replace(hour=9), MONDAY.replace(hour=11, minute=30), 2.5),
    (MONDAY.replace(hour=16), MONDAY.replace(day=3, hour=9), 2.0),
    # Friday 16:00 to Monday 10:00: one hour on Friday, two on Monday
    (dt(2026, 3, 6, 16), dt(2026, 3, 9, 10), 3.0),
    (dt(2026, 3, 7, 8), dt(2026, 3, 8, 20), 0.0),  # weekend
    (MONDAY.replace(hour=6), MONDAY.replace(hour=20), 9.0),
    (MONDAY, MONDAY + datetime.timedelta(days=7), 45.0),
    (MONDAY.replace(hour=12), MONDAY.replace(hour=10), 0.0),  # end before start
])
def test_business_hours_between(start, end, hours):
    assert response_time.business_hours_between(start, end) == hours


def test_business_hours_custom_week_and_validation():
    saturday = dt(2026, 3, 7)
    assert response_time.business_hours_between(
        saturday, saturday + datetime.timedelta(days=2), 10, 14, (5,)) == 4.0
    assert response_time.business_hours_between(
        MONDAY, MONDAY + datetime.timedelta(days=1), 0, 24) == 24.0
    for start, end in ((17, 8), (8, 25), (-1, 8)):
        with pytest.raises(ValueError):
            response_time.business_hours_between(MONDAY, MONDAY, start, end)


moments = st.datetimes(min_value=dt(2025, 12, 20), max_value=dt(2026, 2, 10))
workdays = st.sets(st.integers(0, 6)).map(tuple)
opening = st.tuples(st.integers(0, 23), st.integers(1, 24)).filter(
    lambda hours: hours[0] < hours[1])


@settings(max_examples=200, deadline=None, database=None)
@given(moments, moments, opening, workdays)
def test_business_hours_never_exceed_wall_clock(start, end, hours, days):
    business = response_time.business_hours_between(start, end, *hours, days)
    wall = max((end - start).total_seconds() / 3600.0, 0.0)
    assert 0.0 <= business <= wall


@settings(max_examples=200, deadline=None, database=None)
@given(st.lists(moments, min_size=3, max_size=3).map(sorted), opening, workdays)
def test_business_hours_are_additive_over_a_split_point(points, hours, days):
    start, split, end = points

    def between(a, b):
        return response_time.business_time_between(a, b, *hours, days)

    assert between(start, end) == between(start, split) + between(split, end)


@pytest.mark.parametrize("value, rating", [("1", 1), (" 5 ", 5), (3, 3)])
def test_parse_rating_accepts_one_to_five(value, rating):
    assert feedback.parse_rating(value) == rating


@pytest.mark.parametrize("value", [None, "", "0", "6", "-1", "2.5", "10", "drei",
                                   "٣", "3; DROP TABLE"])
def test_parse_rating_refuses_everything_else(value):
    with pytest.raises(feedback.RatingError):
        feedback.parse_rating(value)


def test_clean_comment_keeps_plain_text_only():
    assert feedback.clean_comment(None) == ""
    assert feedback.clean_comment("  Schnell & gut <b>beraten</b>\r\nDanke\x00 ") \
        == "Schnell & gut beraten\nDanke"
    assert feedback.clean_comment("<script>alert(1)</script>x") == "alert(1)x"
    assert len(feedback.clean_comment("a" * 5000)) == feedback.COMMENT_MAX_LENGTH
