"""Tier evaluation: which tier a dealer's figures qualify for, and why.

Shapes (plain data, no ORM):

- ``values``: ``{criterion code: float or None}``; None means "no figure"
  (e.g. no answered lead, no customer rating) and never meets a threshold.
- a tier: ``TierRule(key, rank, thresholds)``; ``rank`` orders tiers (higher
  is better), ``thresholds`` is ``{criterion code: minimum}``; a value meets
  its threshold when ``value >= minimum`` (every criterion is "higher is
  better"). A tier without thresholds is open to every dealer.

The dealer qualifies for the highest-ranked tier whose thresholds are all
met (or the lowest tier when none is). Monotone by construction: a dealer at
least as good in every criterion meets every threshold the other meets.
"""
import calendar
import collections
import datetime
import math
from decimal import ROUND_HALF_UP, Context, Decimal

#: Criterion codes with their unit: "currency" (EUR), "percent" (0..100),
#: "count" (entries, technicians), "rating" (average of 1..5 stars).
CRITERIA = collections.OrderedDict([
    ("revenue_4q", "currency"),
    ("attainment", "percent"),
    ("benchmark", "count"),
    ("technicians", "count"),
    ("response_within", "percent"),
    ("satisfaction", "rating"),
])

#: Decimals a criterion's figure and minimum are shown with, per unit. The
#: figure is compared as shown (rounded half up, ``shown``), and a minimum
#: has no more decimals than that: what the tier card shows decides.
DIGITS = {"currency": 0, "percent": 1, "count": 0, "rating": 1}
#: The highest minimum of each criterion: the end of a bounded scale (a
#: share in percent, stars, the 4 quarters of benchmark participation) or
#: far beyond any real figure (revenue, attainment may exceed 100 %,
#: technicians).
MAXIMUM = {"revenue_4q": 1e12, "attainment": 1000.0, "benchmark": 4.0,
           "technicians": 10000.0, "response_within": 100.0,
           "satisfaction": 5.0}
#: enough digits for any float (up to 1.8e308) at the shown decimals
_EXACT = Context(prec=400)

UP, DOWN = "up", "down"

TierRule = collections.namedtuple("TierRule", "key rank thresholds")
#: One criterion checked: ``gap`` is how much is missing (0.0 when met,
#: None when the value is missing).
Check = collections.namedtuple("Check", "criterion value threshold met gap")
#: A proposed change: ``reasons`` are the Checks behind it (for an upgrade
#: all checks of the new tier, for a downgrade the failed checks of the
#: current tier).
Proposal = collections.namedtuple("Proposal", "direction from_key to_key reasons")


class RuleError(ValueError):
    """A criterion code that ``CRITERIA`` does not know."""


def shown(code, value):
    """``value`` of criterion ``code`` rounded half up to its shown decimals
    (``DIGITS``): the figure the tier card shows and the check compares."""
    value = float(value)
    if not math.isfinite(value):
        return value
    quantum = Decimal(1).scaleb(-DIGITS[CRITERIA[code]])
    return float(Decimal(repr(value)).quantize(quantum, ROUND_HALF_UP,
                                               context=_EXACT))


def threshold_problem(code, minimum):
    """Why ``minimum`` cannot be a minimum of criterion ``code``: None, or
    ``("maximum", highest figure)`` beyond the scale, or ``("digits",
    decimals)`` with more decimals than the figure is shown with."""
    if not math.isfinite(float(minimum)) or float(minimum) > MAXIMUM[code]:
        return ("maximum", MAXIMUM[code])
    if shown(code, minimum) != float(minimum):
        return ("digits", DIGITS[CRITERIA[code]])
    return None


def check(thresholds, values):
    """The checks of ``thresholds`` against ``values``, in ``CRITERIA`` order:
    each figure as shown (``shown``) against its minimum; ``gap`` in the
    shown decimals.

    Raises RuleError for an unknown criterion code.
    """
    unknown = set(thresholds) - set(CRITERIA)
    if unknown:
        raise RuleError("unknown criteria: %s" % ", ".join(sorted(unknown)))
    result = []
    for code in CRITERIA:
        if code not in thresholds:
            continue
        minimum = float(thresholds[code])
        value = values.get(code)
        if value is None:
            result.append(Check(code, None, minimum, False, None))
            continue
        value = shown(code, value)
        met = value >= minimum
        result.append(Check(code, value, minimum, met, 0.0 if met else shown(
            code, minimum - value)))
    return result


def _ordered(tiers):
    return sorted(tiers, key=lambda tier: tier.rank)


def qualified_tier(tiers, values):
    """The highest-ranked tier all of whose thresholds ``values`` meet.

    ``tiers``: TierRules (any order, at least one). Without any qualifying
    tier: the lowest-ranked tier.
    """
    ordered = _ordered(tiers)
    if not ordered:
        raise RuleError("no tiers to evaluate against")
    for tier in reversed(ordered):
        if all(item.met for item in check(tier.thresholds, values)):
            return tier
    return ordered[0]


def propose(tiers, values, current_key):
    """The change the figures call for, or None when the tier is right.

    ``current_key``: the dealer's tier key, or None (no tier yet: any
    qualified tier is an upgrade).
    """
    target = qualified_tier(tiers, values)
    by_key = {tier.key: tier for tier in tiers}
    current = by_key.get(current_key)
    if current is not None and target.key == current.key:
        return None
    if current is None or target.rank > current.rank:
        return Proposal(UP, current_key, target.key,
                        check(target.thresholds, values))
    failed = [item for item in check(current.thresholds, values) if not item.met]
    return Proposal(DOWN, current_key, target.key, failed)


def next_tier(tiers, current_key):
    """The tier ranked right above ``current_key`` (None at the top).

    Without a current tier: the lowest tier.
    """
    ordered = _ordered(tiers)
    keys = [tier.key for tier in ordered]
    if current_key not in keys:
        return ordered[0] if ordered else None
    index = keys.index(current_key)
    return ordered[index + 1] if index + 1 < len(ordered) else None


def distance_to_next(tiers, values, current_key):
    """``(next tier or None, checks of its thresholds)``: what is missing."""
    upper = next_tier(tiers, current_key)
    if upper is None:
        return None, []
    return upper, check(upper.thresholds, values)


def add_months(day, months):
    """``day`` plus ``months`` calendar months (clamped to the month's end)."""
    index = day.year * 12 + day.month - 1 + int(months)
    year, month = index // 12, index % 12 + 1
    return datetime.date(year, month,
                         min(day.day, calendar.monthrange(year, month)[1]))


def quarter_start(day):
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def trailing_quarters(today, count=4):
    """``(first day, day after the last)`` of the ``count`` finished
    quarters before the quarter of ``today``."""
    end = quarter_start(today)
    return add_months(end, -3 * count), end


#: The trend of a tier criterion compares its figure with the figure of the
#: same definition on the day this many months before the evaluation day.
TREND_MONTHS = 3


def comparison_day(today):
    """The day whose figures a criterion's trend compares with: the same
    day ``TREND_MONTHS`` (3) months before ``today`` (a ``date``; clamped
    to the month's end), i.e. the previous quarter's view of every
    trailing window."""
    return add_months(today, -TREND_MONTHS)


def grace_decision(direction, grace_months, today):
    """What confirming a proposal does: ``("apply", None)`` or
    ``("grace", last day of grace)`` for a downgrade with grace months."""
    if direction == DOWN and grace_months and grace_months > 0:
        return "grace", add_months(today, grace_months)
    return "apply", None
