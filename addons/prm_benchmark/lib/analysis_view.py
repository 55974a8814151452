"""The analysis view model: one render-ready structure per view.

Built from the dealer's own figures, the released statistics
(``lib.release``: only numbers the viewer may receive), the targets and the
user's number format, in the manner of ``mis_builder``'s ``KpiMatrix``: the
page (QWeb), the JSON route and the XLSX export all consume this structure
and nothing else, so they cannot disagree. Formatted cells follow the unit
(``lib.units``), never the value.
"""
from . import units
from .numbers import format_number
from .release import P_PERCENT, PROTECT

STAT_KEYS = ("count", "median", "q1", "q3", "top_quartile_mean")
CELL_KEYS = ("own", "change", "q1", "median", "q3", "top_quartile_mean", "rank",
             "count")
PROTECTING = (PROTECT, P_PERCENT)


def format_cell(value, unit, fmt):
    """``value`` with the unit's decimals in the number format ``fmt``
    (``(decimal_point, thousands_sep)``); '' for None."""
    if value is None:
        return ""
    return format_number(value, fmt[0], fmt[1], digits=units.decimals(unit))


def kpi_row(kpi, own, prev, release, trend, fmt, texts):
    """One table row: raw released numbers plus formatted ``cells``.

    ``kpi``: ``{code, name, unit, unit_label, higher_is_better, section,
    description}``; ``release``: a ``release.release_kpi`` result (or {});
    ``trend``: ``{own, median, q1, q3}`` lists over the view's periods;
    ``texts``: ``{"protect": ..., "none": ...}`` translated cell texts.
    """
    release = release or {}
    withheld = release.get("withheld")
    reasons = release.get("withheld_fields") or {}
    change = (100.0 * (own - prev) / abs(prev)
              if own is not None and prev else None)
    stats = {key: release.get(key) for key in STAT_KEYS}
    stats["withheld"] = withheld
    unit = kpi["unit"]
    cells = {"own": format_cell(own, unit, fmt),
             "change": "" if change is None else
             format_number(change, fmt[0], fmt[1], digits=1) + " %"}
    for key in ("q1", "median", "q3", "top_quartile_mean"):
        if stats[key] is not None:
            cells[key] = format_cell(stats[key], unit, fmt)
        elif reasons.get(key) in PROTECTING:
            cells[key] = texts["protect"]
        else:
            cells[key] = texts["none"] if key == "top_quartile_mean" else ""
    rank = None if withheld else release.get("rank")
    cells["rank"] = "%d/%d" % (rank, release["of"]) if rank else ""
    cells["count"] = "" if stats["count"] is None else "%d" % stats["count"]
    return dict(kpi, decimals=units.decimals(unit), own=own, prev=prev,
                change=change, stats=stats, withheld_fields=dict(reasons),
                rank=rank, percentile=None if withheld else release.get(
                    "percentile"), of=None if withheld else release.get("of"),
                trend=trend, cells=cells)


def build_view(header, kpis, periods, period_id, previous_id, own, releases, fmt,
               texts, extra=None):
    """The whole view (period, group) of one dealer.

    ``header``: ``{dealer, period, group, sections}``; ``kpis``: list of KPI
    dicts (see ``kpi_row``); ``periods``: ``[{id, name}]`` of the trend,
    ascending; ``own``: ``{(period_id, code): value}``; ``releases``:
    ``{period_id: {code: release}}``; ``extra``: further own-data blocks
    (revenue mix, targets) copied as they are. Returns the dict the page,
    JSON and XLSX consume: header keys, ``kpis`` (rows), ``distribution``
    (``{code: {edges, counts, own_bin}}``), ``units`` (decimals per unit).
    """
    rows, distribution = [], {}
    for kpi in kpis:
        code = kpi["code"]
        release = releases.get(period_id, {}).get(code) or {}
        trend = {"own": [own.get((p["id"], code)) for p in periods]}
        for key in ("median", "q1", "q3"):
            trend[key] = [(releases.get(p["id"], {}).get(code) or {}).get(key)
                          for p in periods]
        rows.append(kpi_row(kpi, own.get((period_id, code)),
                            own.get((previous_id, code)) if previous_id else None,
                            release, trend, fmt, texts))
        if release.get("histogram"):
            distribution[code] = dict(release["histogram"])
    view = dict(header, periods=list(periods), kpis=rows, distribution=distribution,
                units={code: units.decimals(code) for code in units.UNITS})
    view.update(extra or {})
    return view
