"""Response deadlines of a routed lead (no Odoo imports).

A routed lead has three moments, all in business hours of the dealer's
calendar from the moment it was forwarded (computed by the ORM with
``resource.calendar.plan_hours``): the reminder (some business hours
before the acceptance deadline), the acceptance deadline (escalation to
the territory manager) and the recall limit (the lead goes to the next
dealer). The cron asks ``due_steps`` what is due now.

Datetimes are naive UTC ``datetime.datetime`` objects throughout.
"""
import datetime

import pytz

#: Stages of a pending lead, in order.
STAGES = ("open", "reminded", "escalated")
STEPS = ("remind", "escalate", "recall")


def due_steps(now, stage, reminder_at, deadline, recall_at):
    """The steps due at ``now`` for a pending lead in ``stage``, in order.

    Returns a list out of ``STEPS``; a missing moment (None) is never due.
    A reminder whose deadline has passed as well is skipped (escalation
    says more); a recall is due only after the escalation. Raises
    ValueError for an unknown stage.
    """
    if stage not in STAGES:
        raise ValueError("unknown deadline stage %r" % stage)
    steps = []
    passed_deadline = deadline is not None and now >= deadline
    if stage == "open" and not passed_deadline and reminder_at is not None \
            and now >= reminder_at:
        steps.append("remind")
    if stage in ("open", "reminded") and passed_deadline:
        steps.append("escalate")
    if (stage == "escalated" or "escalate" in steps) and recall_at is not None \
            and now >= recall_at:
        steps.append("recall")
    return steps


def after_business_hours(start, spans, hours):
    """The moment ``hours`` business hours after ``start``, given the working
    ``spans`` (sorted ``(begin, end)`` datetimes from ``start`` on, as the
    calendar scheduled them): ``start`` for hours <= 0, the end of the last
    span when the spans hold fewer hours."""
    if hours <= 0 or not spans:
        return start
    left = datetime.timedelta(hours=hours)
    for begin, end in spans:
        if end - begin >= left:
            return begin + left
        left -= end - begin
    return spans[-1][1]


def remaining(now, deadline):
    """Time left until ``deadline``: ``(overdue, hours, minutes)`` with whole
    hours and minutes of the absolute difference (rounded down), or None
    without a deadline."""
    if deadline is None:
        return None
    seconds = (deadline - now).total_seconds()
    overdue = seconds < 0
    minutes = int(abs(seconds) // 60)
    return overdue, minutes // 60, minutes % 60


def state_holidays(state_code, years, country="DE", language="de"):
    """Public holidays of a German state (``"BY"``, ``"BE"``, ...) as a sorted
    list of ``(datetime.date, name)`` for each year in ``years``, from the
    ``holidays`` package, named in ``language`` (German: the network's
    language; the names are stored once for everybody). Raises
    NotImplementedError for an unknown state."""
    import holidays  # PyPI "holidays", pinned in config/requirements.txt
    calendar = holidays.country_holidays(
        country, subdiv=state_code, years=sorted(years), language=language)
    return sorted(calendar.items())


def local_day_in_utc(day, tz_name):
    """The local calendar day ``day`` (a date) in ``tz_name`` as naive UTC
    ``(start, end)``: 00:00 to 24:00 local time (23 or 25 hours around a
    change of daylight saving time)."""
    zone = pytz.timezone(tz_name)
    start = zone.localize(datetime.datetime.combine(day, datetime.time()))
    end = zone.localize(datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time()))
    return (start.astimezone(pytz.utc).replace(tzinfo=None),
            end.astimezone(pytz.utc).replace(tzinfo=None))
