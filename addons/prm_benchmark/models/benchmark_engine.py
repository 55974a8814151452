from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import lru

from ..lib import formula as formula_engine
from . import benchmark_refresher as refresher

COUNTED_STATES = ("submitted", "checked")
MAX_SHARE = 0.25
# Advisory lock key (with the period id) serialising refreshes of a period.
REFRESH_LOCK = 7310
# NOTIFY channel that wakes the refresh worker when marks are committed.
STALE_CHANNEL = refresher.CHANNEL


class WeightedLRU(lru.LRU):
    """``odoo.tools.lru.LRU`` that also bounds the summed ``weight(value)``
    of its entries (least recently used go first)."""

    def __init__(self, count, max_weight, weight):
        self.max_weight = max_weight
        self.weight = weight
        self.weights = {}
        self.total = 0
        super().__init__(count)

    def __setitem__(self, key, value):
        with self._lock:
            if key in self.d:
                del self[key]
            weight = self.weight(value)
            limit, self.count = self.count, len(self.d) + 2   # evicted below
            super().__setitem__(key, value)
            self.count = limit
            self.weights[key] = weight
            self.total += weight
            while len(self.d) > 1 and (len(self.d) > self.count
                                       or self.total > self.max_weight):
                del self[self.first.me[0]]

    def __delitem__(self, key):
        with self._lock:
            super().__delitem__(key)
            self.total -= self.weights.pop(key, 0)

    def clear(self):
        with self._lock:
            super().clear()
            self.weights.clear()
            self.total = 0


def values_weight(value):
    """Values held by a cache entry: the sorted group values count, other
    entries (sets of group ids) count one."""
    if isinstance(value, dict):
        return sum(len(values) for values in value.values()
                   if hasattr(values, "__len__")) or 1
    return 1


# Per worker: derived group data, keyed by the statistics stamp (see
# _statistics_stamp); at most about 1 MB per (period, group) at 5000
# dealers (the sorted values), room for every group of the trend periods.
# Bounded to 48 million values (384 MB of array('d')) as well: at 50,000
# dealers an entry is about 7 MB, and 256 of them would pass the workers'
# memory limit (limit_memory_soft, 2 GiB), which recycles the worker and
# empties its caches (a long tail: every view after it starts cold). The
# prefork master fills up to half of it before forking (_warm_caches).
GROUP_DATA_CACHE = WeightedLRU(256, 48 * 1000 * 1000, values_weight)


class ConcurrentEditError(UserError):
    """Somebody saved the entry after the form was opened."""


class BenchmarkEngine(models.AbstractModel):
    """KPI computation and group statistics (ORM glue around ``lib``).

    One job per file: KPI computation here; the statistics refresh and
    release in ``benchmark_engine_statistics``, staleness and freshness in
    ``benchmark_engine_staleness``, what a viewer may receive in
    ``benchmark_engine_disclosure``, saving a dealer's figures in
    ``benchmark_engine_entry``.

    Formulas are evaluated by ``lib.formula``; statistics come from one
    PostgreSQL aggregate (``percentile_cont``) over all groups and KPIs of a
    period; the anonymity filter is ``lib.anonymity``.
    """

    _name = "prm.benchmark.engine"
    _description = "Benchmark engine"

    # --- KPIs --------------------------------------------------------------------
    @api.model
    def _compute_kpis(self, entries):
        """Compute and store the KPI values of ``entries``.

        The figures and last year's KPI values are read in three plain
        queries (they were most of a save's time through the ORM); changed
        KPI values are written through the ORM. Returns ``{period_id: set of
        KPI ids}`` whose values changed (created, rewritten or removed), with
        every period of ``entries`` (an empty set: nothing changed there).
        """
        # sudo: KPI values are derived data; the caller may write the entries.
        entries = entries.sudo()
        changed = {period.id: set() for period in entries.mapped("period_id")}
        if not entries:
            return changed
        formulas = self.env["prm.benchmark.kpi"].sudo()._parsed_formulas()
        order = formula_engine.evaluation_order(formulas)   # once per batch
        kpis = {kpi.code: kpi
                for kpi in self.env["prm.benchmark.kpi"].sudo().search([])}
        previous = self._previous_entries(entries)
        KpiValue = self.env["prm.benchmark.kpi.value"].sudo()
        cr = self.env.cr
        ids = tuple(set(entries.ids) | {e.id for e in previous.values() if e})
        figures = self.env["prm.benchmark.entry"]._figures_of(ids)
        cr.execute("""
            SELECT kv.id, kv.entry_id, kv.kpi_id, k.code, kv.value
              FROM prm_benchmark_kpi_value kv
              JOIN prm_benchmark_kpi k ON k.id = kv.kpi_id
             WHERE kv.entry_id IN %s
        """, [ids])
        stored, existing = {}, {}
        for row_id, entry_id, kpi_id, code, value in cr.fetchall():
            stored.setdefault(entry_id, {})[code] = value
            existing[(entry_id, kpi_id)] = (row_id, value)
        # Last year's entry first: a growth KPI compares with the KPI value
        # computed here, not with the one stored before this call.
        for entry in entries.sorted(lambda e: (e.period_id.date_start, e.id)):
            values = dict(figures.get(entry.id, {}))
            values["period_days"] = entry.period_id.days
            prev_entry = previous.get(entry.id)
            prev_values = {}
            if prev_entry:
                prev_values = dict(figures.get(prev_entry.id, {}))
                prev_values.update(stored.get(prev_entry.id, {}))
                prev_values["period_days"] = prev_entry.period_id.days
            results = formula_engine.evaluate_all(formulas, values, prev_values,
                                                  order=order)
            stored[entry.id] = {code: value for code, value in results.items()
                                if value is not None and code in kpis}
            for code, value in results.items():
                kpi = kpis.get(code)
                if kpi is None:
                    continue
                row_id, old = existing.get((entry.id, kpi.id), (None, None))
                if value is None:
                    if row_id:
                        KpiValue.browse(row_id).unlink()
                elif row_id:
                    if old != value:
                        KpiValue.browse(row_id).write({"value": value})
                else:
                    KpiValue.create({
                        "entry_id": entry.id, "kpi_id": kpi.id, "value": value,
                        "partner_id": entry.partner_id.id,
                        "period_id": entry.period_id.id,
                    })
                if (value is None and row_id) or (value is not None
                                                  and old != value):
                    changed[entry.period_id.id].add(kpi.id)
        return changed

    @api.model
    def _previous_entries(self, entries):
        """``{entry_id: entry of the same dealer in the previous-year period}``."""
        pairs = [(e.partner_id.id, e.period_id.previous_id.id) for e in entries
                 if e.period_id.previous_id]
        if not pairs:
            return {}
        # sudo: the same dealers' own entries of last year, for growth KPIs.
        found = self.env["prm.benchmark.entry"].sudo().search([
            ("partner_id", "in", list({p for p, _q in pairs})),
            ("period_id", "in", list({q for _p, q in pairs}))])
        by_key = {(e.partner_id.id, e.period_id.id): e for e in found}
        return {e.id: by_key.get((e.partner_id.id, e.period_id.previous_id.id))
                for e in entries if e.period_id.previous_id}
