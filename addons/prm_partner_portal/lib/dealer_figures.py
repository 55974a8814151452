"""The one definition of the dealer figures shown in several places.

Customer satisfaction and the share of leads answered within their target
time appear on the dealer form, the scorecard (form tab, PDF,
``/my/scorecard``) and as tier criteria (tier card on ``/my/home``, the
evaluation run). All of them take the figures from here (plain Python, no
ORM), so a reader never sees two values under one name.

Window: the last ``WINDOW_MONTHS`` (12) calendar months, from 00:00 in
``NETWORK_TZ`` (Europe/Berlin) on the same day of the month 12 months
before today (clamped to the month's end) up to the end of today (for the
current day: up to now); the day is the network's calendar day, not the
viewer's, so every viewer reads the same figure. The same definition with
an earlier ``today`` gives the figure of an earlier window (the trend of a
tier criterion, ``prm_programme``).
"""
import calendar
import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytz

WINDOW_MONTHS = 12
NETWORK_TZ = "Europe/Berlin"


def network_today(now=None):
    """Today's date in ``NETWORK_TZ``; ``now``: naive UTC ``datetime``
    (default: the clock)."""
    now = now or datetime.datetime.utcnow()
    return pytz.utc.localize(now).astimezone(pytz.timezone(NETWORK_TZ)).date()


def window_start(today, months=WINDOW_MONTHS):
    """The first day (a ``date``) of the window ending ``today``."""
    index = today.year * 12 + today.month - 1 - int(months)
    year, month = index // 12, index % 12 + 1
    return datetime.date(year, month,
                         min(today.day, calendar.monthrange(year, month)[1]))


def window_start_utc(today, months=WINDOW_MONTHS, tz_name=NETWORK_TZ):
    """``window_start(today)`` at 00:00 in ``tz_name`` as a naive UTC
    ``datetime`` (how Odoo stores datetimes)."""
    zone = pytz.timezone(tz_name)
    local = zone.localize(datetime.datetime.combine(
        window_start(today, months), datetime.time()))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


def window_end_utc(today, tz_name=NETWORK_TZ):
    """00:00 in ``tz_name`` of the day after ``today`` as a naive UTC
    ``datetime``: the window ending ``today`` holds what happened before."""
    zone = pytz.timezone(tz_name)
    local = zone.localize(datetime.datetime.combine(
        today + datetime.timedelta(days=1), datetime.time()))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


def _round1(value):
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def satisfaction(rating_sum, count):
    """Customer satisfaction: the average star rating (1..5, a float
    rounded half up to one decimal) of the answered feedback inside the
    window; None without any (``count`` 0). The rounded value is the one
    shown and the one compared with a tier's minimum.

    ``rating_sum``: sum of the ratings, ``count``: number of ratings.
    """
    if not count:
        return None
    return _round1(float(rating_sum) / count)


def within_target_percent(within, count):
    """Leads answered within their touchpoint's target time, in percent
    (0..100, rounded half up to one decimal) of the answered leads
    forwarded inside the window; None without any answered lead.

    ``within``: answered leads within target, ``count``: answered leads.
    """
    if not count:
        return None
    return _round1(100.0 * within / count)
