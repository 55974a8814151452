"""The participant report's summary: strongest and weakest KPIs in sentences.

Plain Python, fed only with the analysis view model (``analysis_view``
``build_view``): a KPI without a released median is never compared, so the
sentences hold nothing that the page withholds. Differences follow the unit:
percentage points for ``percent`` KPIs, the unit's amount plus the relative
difference otherwise (``lib.units`` decimals). Texts are translated by the
``gettext`` function the caller passes (``str -> str``).
"""
from . import units
from .errors import _
from .numbers import format_number

# KPIs named per list (strongest, weakest).
SUMMARY_SIZE = 3


def _score(row):
    """Relative distance from the median in the "better" direction, or None."""
    own, median = row.get("own"), (row.get("stats") or {}).get("median")
    if own is None or median is None or not median:
        return None
    score = (own - median) / abs(median)
    return score if row.get("higher_is_better", True) else -score


def ranked(view):
    """``(strongest, weakest)``: KPI rows of ``view`` with a released median,
    best first resp. worst first, at most ``SUMMARY_SIZE`` each; a KPI is
    strong when it is better than the median, weak when worse."""
    scored = [(score, index, row) for index, row in enumerate(view["kpis"])
              for score in [_score(row)] if score is not None]
    best = sorted(scored, key=lambda item: (-item[0], item[1]))
    worst = sorted(scored, key=lambda item: (item[0], item[1]))
    return ([row for score, _i, row in best if score > 0][:SUMMARY_SIZE],
            [row for score, _i, row in worst if score < 0][:SUMMARY_SIZE])


def _amount(value, row, fmt, gettext):
    """``value`` in the row's unit: "12,5 %", "1.234 €", "3,2" (no label)."""
    text = format_number(value, fmt[0], fmt[1], digits=units.decimals(row["unit"]))
    if row["unit"] == "percent":
        return text + " %"
    label = row.get("unit_label") or ""
    # Ratios and counts are plain numbers ("Ratio" or "Count" is no unit).
    return "%s %s" % (text, label) if label and row["unit"] not in (
        "ratio", "count") else text


def _difference(own, other, row, fmt, gettext):
    """The distance from ``other`` to ``own``, unsigned, in words."""
    distance = abs(own - other)
    if row["unit"] == "percent":
        return gettext(_("%s percentage points")) % format_number(
            distance, fmt[0], fmt[1], digits=1)
    relative = format_number(100.0 * distance / abs(other), fmt[0], fmt[1],
                             digits=1) if other else None
    amount = _amount(distance, row, fmt, gettext)
    return "%s (%s %%)" % (amount, relative) if relative else amount


def sentence(row, fmt, gettext):
    """One or two sentences about ``row`` (a view KPI row with own value and
    released median); ``fmt``: ``(decimal_point, thousands_sep)``."""
    own, stats = row["own"], row["stats"]
    median = stats["median"]
    params = {"kpi": row["name"], "median": _amount(median, row, fmt, gettext)}
    if own == median:
        text = gettext(_("%(kpi)s: your value equals the group median "
                         "(%(median)s).")) % params
    else:
        params["difference"] = _difference(own, median, row, fmt, gettext)
        text = gettext(_("%(kpi)s: your value is %(difference)s above the group "
                         "median (%(median)s).") if own > median else _(
            "%(kpi)s: your value is %(difference)s below the group median "
            "(%(median)s).")) % params
    top = stats.get("top_quartile_mean")
    if top is not None:
        better = own >= top if row.get("higher_is_better", True) else own <= top
        top_params = {"top": _amount(top, row, fmt, gettext)}
        if better:
            text += " " + gettext(_("That is at least as good as the mean of the "
                                    "top quartile (%(top)s).")) % top_params
        else:
            top_params["difference"] = _difference(own, top, row, fmt, gettext)
            text += " " + gettext(_("The gap to the mean of the top quartile "
                                    "(%(top)s) is %(difference)s.")) % top_params
    return text


def summary(view, fmt, gettext):
    """``{"strongest": [sentence], "weakest": [sentence]}`` of ``view``."""
    strongest, weakest = ranked(view)
    return {"strongest": [sentence(row, fmt, gettext) for row in strongest],
            "weakest": [sentence(row, fmt, gettext) for row in weakest]}
