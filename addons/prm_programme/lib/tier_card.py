"""Rows of the director's tier card (plain data for the portal template)."""

#: decimals shown per unit of ``tier_rules.CRITERIA``
DIGITS = {"currency": 0, "percent": 1, "count": 0, "rating": 1}


def card_rows(checks, units, format_number):
    """One row per check of the next tier's thresholds.

    ``checks``: ``tier_rules.Check`` list; ``units``: criterion code ->
    unit kind (``tier_rules.CRITERIA``); ``format_number(value, digits)``
    renders a float in the reader's locale. Returns dicts with
    ``criterion``, ``unit``, ``met``, ``value``/``threshold``/``gap`` as
    texts (``value`` "–" without a figure, ``gap`` "" when met).
    """
    rows = []
    for item in checks:
        unit = units[item.criterion]
        digits = DIGITS[unit]
        rows.append({
            "criterion": item.criterion,
            "unit": unit,
            "met": item.met,
            "value": ("–" if item.value is None
                      else format_number(item.value, digits)),
            "threshold": format_number(item.threshold, digits),
            "gap": ("" if item.met else format_number(
                item.threshold if item.gap is None else item.gap, digits)),
        })
    return rows
