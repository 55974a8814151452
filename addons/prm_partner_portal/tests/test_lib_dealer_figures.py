"""The one definition of customer satisfaction and the response share
(plain Python, no ORM): window, unit, rounding."""
import datetime

from ..lib import dealer_figures


def test_window_is_the_last_twelve_months_from_berlin_midnight():
    today = datetime.date(2026, 11, 30)
    assert dealer_figures.window_start(today) == datetime.date(2025, 11, 30)
    assert dealer_figures.window_start(datetime.date(2028, 2, 29)) == \
        datetime.date(2027, 2, 28)
    # winter: Berlin is UTC+1, so the day starts at 23:00 UTC the day before
    assert dealer_figures.window_start_utc(today) == \
        datetime.datetime(2025, 11, 29, 23, 0)
    assert dealer_figures.window_start_utc(datetime.date(2026, 7, 1)) == \
        datetime.datetime(2025, 6, 30, 22, 0)


def test_network_today_is_berlin_day():
    assert dealer_figures.network_today(datetime.datetime(2026, 11, 30, 23, 30)) \
        == datetime.date(2026, 12, 1)


def test_satisfaction_is_the_average_rounded_half_up_to_one_decimal():
    assert dealer_figures.satisfaction(0, 0) is None
    assert dealer_figures.satisfaction(13, 4) == 3.3   # 3.25 -> 3.3
    assert dealer_figures.satisfaction(63, 20) == 3.2  # 3.15 -> 3.2
    assert dealer_figures.satisfaction(10, 3) == 3.3


def test_within_target_percent():
    assert dealer_figures.within_target_percent(0, 0) is None
    assert dealer_figures.within_target_percent(1, 8) == 12.5
    assert dealer_figures.within_target_percent(2, 3) == 66.7
    assert dealer_figures.within_target_percent(1, 16) == 6.3  # 6.25 half up


def test_window_ends_with_the_berlin_day_including_dst_days():
    # winter: the day after ends at 23:00 UTC
    assert dealer_figures.window_end_utc(datetime.date(2026, 11, 30)) == \
        datetime.datetime(2026, 11, 30, 23, 0)
    # the night the clocks go forward (29 March 2026): 00:00 on the 30th is
    # already summer time (UTC+2)
    assert dealer_figures.window_end_utc(datetime.date(2026, 3, 29)) == \
        datetime.datetime(2026, 3, 29, 22, 0)
    # the night the clocks go back (25 October 2026): 00:00 on the 25th is
    # summer time, 00:00 on the 26th winter time
    assert dealer_figures.window_end_utc(datetime.date(2026, 10, 24)) == \
        datetime.datetime(2026, 10, 24, 22, 0)
    assert dealer_figures.window_end_utc(datetime.date(2026, 10, 25)) == \
        datetime.datetime(2026, 10, 25, 23, 0)
