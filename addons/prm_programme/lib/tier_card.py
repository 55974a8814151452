"""Rows of the director's tier card (plain data for the portal template).

The same rows feed the tier card on ``/my/home`` and the tier criteria
section of the dealer scorecard (prm_staff_home): one render model.
"""
from odoo.addons.prm_benchmark.lib.numbers import TREND_SAME, trend_mark

from .tier_rules import DIGITS, shown


def card_rows(checks, units, format_number, current=(), previous=None):
    """One row per criterion of the current or the next tier.

    ``checks``: ``tier_rules.Check`` list of the next tier's thresholds
    (empty at the top); ``current``: the checks of the current tier's
    thresholds; ``units``: criterion code -> unit kind
    (``tier_rules.CRITERIA``, also the row order); ``format_number(value,
    digits)`` renders a float in the reader's locale. Returns dicts with
    ``criterion``, ``unit``, ``met`` (next tier's minimum met; True
    without one), ``current_met`` (likewise for the current tier) and the
    texts ``value`` ("–" without a figure), ``threshold`` (next tier's
    minimum, "" without one), ``current_threshold`` ("" without one) and
    ``gap`` (to the next tier's minimum; "" when met or without one).

    ``previous``: ``{criterion code: float or None}``, the figures of the
    comparison day (``tier_rules.comparison_day``), or None when there is
    none; each row then also has ``previous`` (text; "–" without a figure,
    "" without a comparison) and ``trend`` (``numbers.trend_mark``: ▲ / ▼
    / =, "" when either figure is missing). Every criterion is "higher is
    better"; two figures that read the same as shown are "=".
    """
    upper = {item.criterion: item for item in checks}
    lower = {item.criterion: item for item in current}
    rows = []
    for code in units:
        if code not in upper and code not in lower:
            continue
        item = upper.get(code) or lower[code]
        digits = DIGITS[units[code]]
        nxt, cur = upper.get(code), lower.get(code)
        met = nxt.met if nxt else True
        rows.append({
            "criterion": code,
            "unit": units[code],
            "met": met,
            "current_met": cur.met if cur else True,
            "value": ("–" if item.value is None
                      else format_number(item.value, digits)),
            "threshold": format_number(nxt.threshold, digits) if nxt else "",
            "current_threshold": (format_number(cur.threshold, digits)
                                  if cur else ""),
            "gap": ("" if met else format_number(
                nxt.threshold if nxt.gap is None else nxt.gap, digits)),
        })
        rows[-1].update(_trend(item.value, previous, code, digits, format_number))
    return rows


def _trend(value, previous, code, digits, format_number):
    """``{"previous", "trend"}`` of one row (see ``card_rows``)."""
    if previous is None:
        return {"previous": "", "trend": ""}
    before = previous.get(code)
    if before is None:
        return {"previous": "–", "trend": ""}
    before = shown(code, before)   # as the current figure (tier_rules.check)
    text = format_number(before, digits)
    if value is not None and format_number(value, digits) == text:
        return {"previous": text, "trend": TREND_SAME}
    return {"previous": text, "trend": trend_mark([before, value])}
