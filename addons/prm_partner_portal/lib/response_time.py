"""Dealer response times to forwarded leads (plain Python, no Odoo imports).

The ORM computes the same figures in one SQL query (``percentile_cont``);
these functions are the reference the tests compare it with, and the
calculation for lists that are already in memory.
"""
import datetime

from .quantiles import percentile_cont

#: Target used for leads without a touchpoint (the touchpoint's default).
DEFAULT_TARGET_HOURS = 24.0


# The same interpolation as PostgreSQL's percentile_cont (shared helper).
percentile = percentile_cont


def summarize(durations_hours, target_hours=DEFAULT_TARGET_HOURS):
    """Count, median, 90th percentile and share answered within target.

    ``durations_hours``: response times in hours (None = not answered, ignored).
    ``target_hours``: one target for all, or a sequence with one target per
    duration (e.g. the touchpoint of each lead); a None target counts as the
    default target. ``within_target_share`` is a fraction (0..1) of the
    answered leads with ``duration <= target``; None when nothing was answered.
    """
    durations = list(durations_hours)
    if isinstance(target_hours, (int, float)) or target_hours is None:
        targets = [target_hours] * len(durations)
    else:
        targets = list(target_hours)
        if len(targets) != len(durations):
            raise ValueError("one target per duration expected")
    pairs = [(float(duration), DEFAULT_TARGET_HOURS if target is None
              else float(target))
             for duration, target in zip(durations, targets)
             if duration is not None]
    values = sorted(duration for duration, _target in pairs)
    count = len(values)
    within = sum(1 for duration, target in pairs if duration <= target)
    return {
        "count": count,
        "median": percentile(values, 0.5),
        "p90": percentile(values, 0.9),
        "within_target_share": within / count if count else None,
    }


def _check_workday(workday_start, workday_end):
    if not 0 <= workday_start < workday_end <= 24:
        raise ValueError("working hours must satisfy 0 <= start < end <= 24, got "
                         "%r-%r" % (workday_start, workday_end))


def business_time_between(start, end, workday_start=8, workday_end=17,
                          workdays=(0, 1, 2, 3, 4)):
    """Working time between two naive datetimes as a ``timedelta``.

    Counts only the part of ``[start, end]`` that falls on a weekday in
    ``workdays`` (Monday = 0) between ``workday_start`` and ``workday_end``
    o'clock. No holidays. ``end`` before ``start`` gives zero.
    """
    _check_workday(workday_start, workday_end)
    total = datetime.timedelta(0)
    if end <= start:
        return total
    open_after = datetime.timedelta(hours=workday_start)
    close_after = datetime.timedelta(hours=workday_end)
    day = start.date()
    while day <= end.date():
        if day.weekday() in workdays:
            midnight = datetime.datetime.combine(day, datetime.time(0))
            opened = max(start, midnight + open_after)
            closed = min(end, midnight + close_after)
            if closed > opened:
                total += closed - opened
        day += datetime.timedelta(days=1)
    return total


def business_hours_between(start, end, workday_start=8, workday_end=17,
                           workdays=(0, 1, 2, 3, 4)):
    """Working hours between two naive datetimes (see ``business_time_between``)."""
    return business_time_between(
        start, end, workday_start, workday_end, workdays).total_seconds() / 3600.0
