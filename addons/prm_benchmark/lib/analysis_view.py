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


# --- the chart list ----------------------------------------------------------
# How a KPI is charted (the KPI's ``chart_hint``), besides the section charts
# (index comparison, position in the group, profile) every charted KPI is in:
# ``line``: its own trend (own value and median); ``line_quartiles``: the
# same with the quartile lines; ``line_combined``: one trend with the other
# KPIs of its section and unit with this hint; ``bar_compare``: one bar chart
# (own, median, top quartile in the unit) with the other KPIs of its section
# and unit with this hint; ``bar``: the section charts only; ``none``: no
# chart at all (the tables still show it).
CHART_HINTS = ("bar", "line", "line_quartiles", "line_combined", "bar_compare",
               "none")
TREND_HINTS = ("line", "line_quartiles")
JOINED_HINTS = {"line_combined": ("trend_multi", "trend_%s_%s"),
                "bar_compare": ("bar_compare", "bars_%s_%s")}
# The kinds of chart_list (the keys of the page's chart registry).
CHART_KINDS = ("trend", "trend_multi", "bar_compare", "index_compare", "range",
               "mix_donut", "mix_periods", "target_rows", "target_attainment",
               "histogram", "profile")
CHART_TEXT_KEYS = ("trend", "compare", "range", "histogram", "profile",
                   "mix_donut", "mix_periods", "target_rows", "attainment",
                   "index_unit", "and")


def per_employee_variants(kpis, trees):
    """``{code: per-employee code}``: which KPI a per-employee view shows instead.

    A KPI in the unit ``per_employee`` whose formula is another KPI divided
    by one name (``rev_total / employees``) is that KPI per employee.
    ``kpis``: KPI dicts (``code``, ``unit``); ``trees``: ``{code: syntax
    tree}`` of ``lib.formula`` (``Formula.tree``).
    """
    codes = {kpi["code"] for kpi in kpis}
    variants = {}
    for kpi in kpis:
        tree = trees.get(kpi["code"])
        if kpi["unit"] != "per_employee" or type(tree).__name__ != "Chain":
            continue
        first = tree.first
        if type(first).__name__ == "Name" and first.name in codes and \
                len(tree.rest) == 1 and tree.rest[0][0] == "/" and \
                type(tree.rest[0][1]).__name__ == "Name":
            variants.setdefault(first.name, kpi["code"])
    return variants


def _enumeration(names, and_format):
    """"a", "a and b", "a, b and c" (``and_format``: "%s and %s" translated)."""
    if len(names) < 2:
        return "".join(names)
    return and_format % (", ".join(names[:-1]), names[-1])


def _chart(kind, chart_id, title, kpis=(), unit=None, unit_label="", **extra):
    return dict(extra, id=chart_id, kind=kind, title=title, unit=unit,
                unit_label=unit_label, kpis=[kpi["code"] for kpi in kpis])


def chart_list(kpis, sections, texts, variants=None, distribution=(),
               mix=True, target_metric=None, unit_labels=None):
    """The charts the page draws, in order: ``[{id, kind, title, unit,
    unit_label, kpis, ...}]``.

    ``kpis``: KPI dicts in display order (``code, name, unit, unit_label,
    section, chart_hint``; a hint not in ``CHART_HINTS`` counts as ``bar``);
    ``sections``: ``[{key, label}]``; ``texts``: translated titles (keys
    ``CHART_TEXT_KEYS``, ``%s`` for the name); ``variants``: ``{code:
    per-employee code}`` (trend charts carry ``per_employee``, the code shown
    per employee, and its ``per_employee_title``); ``distribution``: codes
    with a released histogram (a ``histogram`` chart each whose KPI has
    ``chart_distribution``); ``mix``: the revenue-mix charts;
    ``target_metric``: ``{code, name, unit}`` of the target bar chart or None;
    ``unit_labels``: ``{unit: label}`` for the charts of no KPI.
    Chart ids are unique and stable while the KPI codes are; kinds are the
    keys of the page's chart registry.
    """
    variants = variants or {}
    unit_labels = unit_labels or {}
    names = {kpi["code"]: kpi["name"] for kpi in kpis}
    charted = [kpi for kpi in kpis if kpi.get("chart_hint") != "none"]
    shown_instead = set(variants.values())
    charts, joined = [], {}
    for kpi in charted:
        hint = kpi.get("chart_hint")
        if hint in TREND_HINTS and kpi["code"] not in shown_instead:
            variant = variants.get(kpi["code"])
            charts.append(_chart(
                "trend", "trend_" + kpi["code"], texts["trend"] % kpi["name"],
                [kpi], kpi["unit"], kpi["unit_label"],
                quartiles=hint == "line_quartiles", per_employee=variant,
                per_employee_title=texts["trend"] % names[variant]
                if variant else None))
        elif hint in JOINED_HINTS:
            kind, id_format = JOINED_HINTS[hint]
            key = (hint, kpi["section"], kpi["unit"])
            if key not in joined:
                joined[key] = _chart(kind, id_format % key[1:], "", [],
                                     kpi["unit"], kpi["unit_label"])
                charts.append(joined[key])
            joined[key]["kpis"].append(kpi["code"])
    for chart in joined.values():
        title = _enumeration([names[code] for code in chart["kpis"]], texts["and"])
        chart["title"] = texts["trend"] % title if chart["kind"] == "trend_multi" \
            else texts["compare"] % title
    if mix:
        for kind in ("mix_donut", "mix_periods"):
            charts.append(_chart(
                kind, kind, texts[kind], unit="currency",
                unit_label=unit_labels.get("currency", ""),
                per_employee_unit_label=unit_labels.get("per_employee", "")))
    if target_metric:
        unit = target_metric["unit"]
        charts.append(_chart(
            "target_rows", "targets_" + target_metric["code"],
            texts["target_rows"] % target_metric["name"], unit=unit,
            unit_label=unit_labels.get(unit, ""), metric=target_metric["code"]))
        charts.append(_chart("target_attainment", "targets_attainment",
                             texts["attainment"], unit="percent"))
    for section in sections:
        in_section = [kpi for kpi in charted if kpi["section"] == section["key"]]
        if not in_section:
            continue
        charts.append(_chart("index_compare", "cmp_" + section["key"],
                             section["label"], in_section,
                             unit_label=texts["index_unit"]))
        charts.append(_chart("range", "range_" + section["key"],
                             texts["range"] % section["label"], in_section))
    for kpi in charted:
        if kpi.get("chart_distribution") and kpi["code"] in distribution:
            charts.append(_chart("histogram", "hist_" + kpi["code"],
                                 texts["histogram"] % kpi["name"], [kpi],
                                 kpi["unit"], kpi["unit_label"]))
    if charted:
        charts.append(_chart("profile", "profile", texts["profile"], charted))
    return charts
