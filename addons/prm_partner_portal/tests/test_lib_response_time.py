"""Response-time statistics and customer feedback (plain Python)."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ..lib import feedback
from ..lib.quantiles import percentile_cont
from .oracles import summarize


def test_percentile_interpolates_like_percentile_cont():
    values = [1.0, 2.0, 3.0, 4.0, 10.0]
    assert percentile_cont(values, 0.5) == 3.0
    assert percentile_cont(values, 0.9) == pytest.approx(7.6)  # 4+.6*6
    assert percentile_cont(values, 0.0) == 1.0
    assert percentile_cont(values, 1.0) == 10.0
    assert percentile_cont([2.0, 8.0], 0.5) == 5.0
    assert percentile_cont([7.0], 0.9) == 7.0
    assert percentile_cont([], 0.5) is None
    with pytest.raises(ValueError):
        percentile_cont(values, 1.5)


def test_summarize_with_one_target():
    summary = summarize([4.0, 1.0, 10.0, 3.0, 2.0, None], 3.0)
    assert summary["count"] == 5  # None = not answered yet, ignored
    assert summary["median"] == 3.0
    assert summary["p90"] == pytest.approx(7.6)
    assert summary["within_target_share"] == pytest.approx(0.6)  # 1, 2 and 3


def test_summarize_with_a_target_per_lead():
    # chat leads (4 h target) answered after 1 h and 5 h, fair leads (48 h)
    # after 3 h and 50 h: two of four within their own target.
    summary = summarize([1.0, 5.0, 3.0, 50.0], [4, 4, 48, 48])
    assert summary["count"] == 4
    assert summary["median"] == 4.0  # between 3 and 5
    assert summary["p90"] == pytest.approx(36.5)  # 5 + 0.7 * 45
    assert summary["within_target_share"] == 0.5
    assert summary["average"] == 14.75


def test_summarize_average_counts_every_answered_lead():
    """Issue 17/10: 0-hour answers (and lost leads) count in the average too.

    A dealer who answered three leads within the hour and one after 32.36 h
    has an average of 8.09 h, not 0.0 h and not 32.36 h.
    """
    summary = summarize([0.0, 0.0, 0.0, 32.36, None], 24)
    assert summary["count"] == 4
    assert summary["average"] == pytest.approx(8.09)
    assert summary["median"] == 0.0
    assert summary["within_target_share"] == 0.75


def test_summarize_edge_cases():
    assert summarize([], 24) == {
        "count": 0, "average": None, "median": None, "p90": None,
        "within_target_share": None}
    # exactly on target counts as within; a missing target means the default
    assert summarize([24.0, 24.5], [None, None])[
        "within_target_share"] == 0.5
    with pytest.raises(ValueError):
        summarize([1.0, 2.0], [4])


@settings(max_examples=200, deadline=None, database=None)
@given(st.lists(st.one_of(st.none(), st.floats(0, 1e4)), max_size=30))
def test_every_figure_counts_the_same_answered_leads(hours):
    """One definition: count, average, median, p90 and share all cover every
    answered lead (0 h included), whatever the mix."""
    answered = [value for value in hours if value is not None]
    summary = summarize(hours, 24)
    assert summary["count"] == len(answered)
    if not answered:
        assert summary["average"] is None and summary["median"] is None
        return
    assert summary["average"] == pytest.approx(sum(answered) / len(answered))
    assert min(answered) <= summary["median"] <= max(answered)
    assert summary["within_target_share"] == pytest.approx(
        sum(1 for value in answered if value <= 24) / len(answered))


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
