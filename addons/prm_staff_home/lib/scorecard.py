"""The dealer scorecard as render-ready rows (plain Python, no ORM).

One builder for the three places that show a scorecard: the dealer form's
tab, the printable PDF and the director's ``/my/scorecard``. The callers
collect the figures (as the viewer may see them) and the translated texts;
this module only arranges and formats them.
"""
from odoo.addons.prm_benchmark.lib.numbers import (
    TREND_DOWN as DOWN, TREND_SAME as SAME, TREND_UP as UP, format_number,
    trend_mark)

__all__ = ["DOWN", "SAME", "UP", "build_scorecard", "trend_mark"]

# At most this many periods of targets are shown (the newest last).
TARGET_PERIODS = 4
TEXT_KEYS = (
    "targets", "benchmark", "leads", "claims", "receivables", "feedback",
    "target", "actual", "attainment", "trend", "own", "median", "position",
    "change", "value", "no_data", "leads_count", "leads_open", "leads_overdue",
    "response_median", "response_p90", "within_target", "claims_total",
    "claims_open", "receivable_open", "receivable_overdue", "rating",
    "rating_count", "hours", "percent", "benchmark_none", "tier",
    "tier_value", "tier_min_current", "tier_min_next", "tier_gap",
    "tier_subtitle", "tier_top", "tier_previous")


def _num(value, fmt, digits=0, suffix=""):
    if value is None:
        return ""
    return format_number(value, fmt[0], fmt[1], digits=digits) + suffix


def _targets_section(targets, texts, fmt):
    names = []
    for metric in targets:
        for period in metric["periods"]:
            if period["name"] not in names:
                names.append(period["name"])
    names = names[-TARGET_PERIODS:]
    latest = names[-1] if names else None
    columns = [texts["target"], texts["actual"], texts["attainment"]] + [
        "%s (%s)" % (name, texts["attainment"]) for name in names[:-1]] + [
        texts["trend"]]
    rows = []
    for metric in targets:
        by_name = {period["name"]: period for period in metric["periods"]}
        current = by_name.get(latest, {})
        digits = metric.get("digits", 0)
        unit = metric.get("unit") or ""
        suffix = " " + unit if unit else ""
        history = [by_name.get(name, {}).get("attainment") for name in names]
        rows.append({
            "label": metric["metric"],
            "cells": [_num(current.get("target"), fmt, digits, suffix),
                      _num(current.get("actual"), fmt, digits, suffix),
                      _num(current.get("attainment"), fmt, 1, " %")] + [
                _num(value, fmt, 1, " %") for value in history[:-1]] + [
                trend_mark(history)],
        })
    return {"key": "targets", "title": texts["targets"],
            "subtitle": latest or "", "columns": columns, "rows": rows}


def _benchmark_section(benchmark, texts):
    if not benchmark:
        return {"key": "benchmark", "title": texts["benchmark"], "subtitle": "",
                "columns": [], "rows": [], "note": texts["benchmark_none"]}
    rows = [{"label": "%s (%s)" % (row["name"], row["unit"]) if row.get("unit")
             else row["name"],
             "cells": [row.get("own", ""), row.get("median", ""),
                       row.get("rank", ""), row.get("change", "")]}
            for row in benchmark["rows"]]
    return {"key": "benchmark", "title": texts["benchmark"],
            "subtitle": "%s – %s" % (benchmark["period"], benchmark["group"]),
            "columns": [texts["own"], texts["median"], texts["position"],
                        texts["change"]],
            "rows": rows, "note": benchmark.get("note") or ""}


def _value_section(key, title, items, texts):
    return {"key": key, "title": title, "subtitle": "",
            "columns": [texts["value"]],
            "rows": [{"label": label, "cells": [cell]} for label, cell in items]}


def _tier_section(tier, texts):
    """The tier criteria section from the tier card's render model (rows
    of ``prm_programme/lib/tier_card.card_rows``, already formatted)."""
    def unit(text, row):
        # no unit after an empty cell or "–" (no figure)
        if not text or text == "–":
            return text or ""
        return " ".join(filter(None, (text, row["unit"])))

    trend = bool(tier.get("previous_on"))

    def previous(row):
        shown = unit(row["previous"], row)
        return " ".join(filter(None, (shown, row["trend"])))

    rows = [{"label": row["label"],
             "cells": [unit(row["value"], row),
                       unit(row["current_threshold"], row),
                       unit(row["threshold"], row),
                       "" if not row["threshold"] else
                       "✓" if row["met"] else unit(row["gap"], row)]
             + ([previous(row)] if trend else [])}
            for row in tier["rows"]]
    return {"key": "tier", "title": texts["tier"],
            "subtitle": texts["tier_subtitle"] % {
                "tier": tier["tier"] or "–",
                "next": tier["next_tier"] or texts["tier_top"],
                "date": tier["evaluated_on"] or "–"},
            "columns": [texts["tier_value"], texts["tier_min_current"],
                        texts["tier_min_next"], texts["tier_gap"]]
            + ([texts["tier_previous"] % {"date": tier["previous_on"]}]
               if trend else []),
            "rows": rows}


def build_scorecard(data, texts, fmt=(",", ".")):
    """The sections of one dealer's scorecard.

    ``data``: ``{"targets": [{"metric": str, "unit": str, "digits": int,
    "periods": [{"name", "target", "actual", "attainment"}] oldest first}],
    "benchmark": None or {"period", "group", "note", "rows": [{"name",
    "unit", "own", "median", "rank", "change"}]}`` (benchmark cells already
    formatted and filtered by the release rules), ``"leads": {"count",
    "open", "overdue", "median_hours", "p90_hours", "within_target"}``
    (hours, percent), ``"claims": {"total", "open"}``, ``"receivables":``
    None (no accounting) or ``{"open", "overdue"}`` with ``"currency"``,
    ``"feedback": {"rating", "count"}``, ``"tier":`` None (no evaluation
    the reader may see) or ``{"tier", "next_tier", "evaluated_on",
    "previous_on"}`` (texts; ``previous_on`` None without a comparison day)
    with ``"rows": [{"label", "unit", "value", "current_threshold",
    "threshold", "gap", "met", "previous", "trend"}]`` (the tier card's rows
    with label and unit text; with a comparison day a last column shows
    the figure a quarter before and the trend mark)}``. ``texts``: translated labels
    for every key of ``TEXT_KEYS``. ``fmt``: (decimal point, thousands
    separator).

    Returns ``[{"key", "title", "subtitle", "columns": [str], "rows":
    [{"label": str, "cells": [str]}], "note"?}]``; every cell is text.
    Raises KeyError when a text is missing.
    """
    missing = [key for key in TEXT_KEYS if key not in texts]
    if missing:
        raise KeyError("scorecard texts missing: %s" % ", ".join(missing))
    hours = " " + texts["hours"]
    leads = data.get("leads") or {}
    claims = data.get("claims") or {}
    feedback = data.get("feedback") or {}
    sections = [_targets_section(data.get("targets") or [], texts, fmt),
                _benchmark_section(data.get("benchmark"), texts)]
    sections.append(_value_section("leads", texts["leads"], [
        (texts["leads_count"], _num(leads.get("count", 0), fmt)),
        (texts["leads_open"], _num(leads.get("open", 0), fmt)),
        (texts["leads_overdue"], _num(leads.get("overdue", 0), fmt)),
        (texts["response_median"], _num(leads.get("median_hours"), fmt, 1, hours)),
        (texts["response_p90"], _num(leads.get("p90_hours"), fmt, 1, hours)),
        (texts["within_target"], _num(leads.get("within_target"), fmt, 1, " %")),
    ], texts))
    sections.append(_value_section("claims", texts["claims"], [
        (texts["claims_total"], _num(claims.get("total", 0), fmt)),
        (texts["claims_open"], _num(claims.get("open", 0), fmt)),
    ], texts))
    receivables = data.get("receivables")
    if receivables is not None:
        currency = " " + data.get("currency", "") if data.get("currency") else ""
        sections.append(_value_section("receivables", texts["receivables"], [
            (texts["receivable_open"],
             _num(receivables.get("open", 0.0), fmt, 2, currency)),
            (texts["receivable_overdue"],
             _num(receivables.get("overdue", 0.0), fmt, 2, currency)),
        ], texts))
    sections.append(_value_section("feedback", texts["feedback"], [
        (texts["rating"], _num(feedback.get("rating") if feedback.get("count")
                               else None, fmt, 1, " / 5")),
        (texts["rating_count"], _num(feedback.get("count", 0), fmt)),
    ], texts))
    if data.get("tier"):
        sections.append(_tier_section(data["tier"], texts))
    for section in sections:
        if not section["rows"] and not section.get("note"):
            section["note"] = texts["no_data"]
    return sections
