from odoo import api, models, _

from ..lib.anonymity import safe_groups
from ..lib.statistics import histogram
from .benchmark_engine import GROUP_DATA_CACHE
from .benchmark_kpi import KPI_SECTIONS, KPI_UNITS

TREND_PERIODS = 8
HISTOGRAM_BINS = 10
REVENUE_LINES = ("rev_new", "rev_used", "rev_workshop", "rev_parts", "rev_other")


class BenchmarkAnalysis(models.AbstractModel):
    """Everything one view of the dealer's analysis needs, in one call.

    Only the dealer's own raw figures and anonymity-filtered group
    statistics leave this method; distributions are bucket counts, never
    single values.
    """

    _name = "prm.benchmark.analysis"
    _description = "Benchmark analysis data"

    @api.model
    def _visible_groups(self, partner, period):
        """Comparison groups of the dealer that may be shown together.

        Groups with fewer members than their k, and the smaller of two groups
        differing by fewer than k dealers (differencing attack), are dropped.
        """
        # sudo: membership lists are read to apply the anonymity rule; only
        # group names and ids are returned.
        Member = self.env["prm.benchmark.group.member"].sudo()
        own = Member.search([("partner_id", "=", partner.id)]).mapped("group_id")
        trend = self._trend_periods(period)
        # Members of the same groups share the answer: cached per worker
        # until statistics or memberships change.
        key = ("safe groups", tuple(sorted(own.ids)), period.id,
               self.env["prm.benchmark.engine"]._statistics_stamp(trend))
        shown = GROUP_DATA_CACHE.get(key)
        if shown is None:
            self.env.cr.execute("""
                SELECT group_id, array_agg(partner_id)
                  FROM prm_benchmark_group_member
                 WHERE group_id IN %s GROUP BY group_id
            """, [tuple(own.ids) or (0,)])
            members = {group_id: set(partner_ids)
                       for group_id, partner_ids in self.env.cr.fetchall()}
            k = max([g.min_group_size for g in own] or [5])
            # Statistics count only submitted figures: groups whose
            # contributors differ by few dealers in any period and KPI of
            # the trend conflict too (pairs stored with the statistics).
            conflicts = self.env["prm.benchmark.engine"]._conflicting_pairs(
                trend, own, k)
            shown = GROUP_DATA_CACHE[key] = frozenset(safe_groups(
                members, k, conflicts=conflicts))
        return own.filtered(lambda g: g.id in shown).sorted(
            key=lambda g: (not g.is_network, g.sequence, g.name))

    @api.model
    def _trend_periods(self, period):
        Period = self.env["prm.benchmark.period"]
        return Period.search([("kind", "=", period.kind),
                              ("date_start", "<=", period.date_start)],
                             order="date_start desc", limit=TREND_PERIODS).sorted(
            "date_start")

    @api.model
    def analysis_data(self, partner, period, group):
        """The data of the view (period, group) for ``partner``."""
        engine = self.env["prm.benchmark.engine"]
        # sudo below: the dealer's own figures and KPI values (partner is the
        # caller's own company, checked by the controller) and the filtered
        # statistics; nothing of another dealer is put into the result.
        kpis = self.env["prm.benchmark.kpi"].sudo().search([])
        periods = self._trend_periods(period)
        # The dealer's own figures in two plain queries (as sudo would):
        # through the ORM they were most of the page's time.
        cr = self.env.cr
        cr.execute("""
            SELECT period_id, kpi_id, value FROM prm_benchmark_kpi_value
             WHERE partner_id = %s AND period_id IN %s
        """, [partner.id, tuple(periods.ids) or (0,)])
        own_kpi = {(period_id, kpi_id): value
                   for period_id, kpi_id, value in cr.fetchall()}
        cr.execute("""
            SELECT v.period_id, i.code, v.value
              FROM prm_benchmark_value v
              JOIN prm_benchmark_input i ON i.id = v.input_id
             WHERE v.partner_id = %s AND v.period_id IN %s
        """, [partner.id, tuple(periods.ids) or (0,)])
        own_inputs = {(period_id, code): value
                      for period_id, code, value in cr.fetchall()}
        published = engine._published_statistics_of_periods(
            periods, group, kpis, viewer=partner)
        # "Give to get": no group statistics without an own counted entry.
        gives = period.id in engine._counted_period_ids(partner, period)
        current = published.get(period.id) or {}
        own_now = {kpi.id: own_kpi.get((period.id, kpi.id)) for kpi in kpis}
        ranks = engine._own_ranks(partner, period, group, kpis,
                                  {k: v for k, v in own_now.items() if v is not None})
        previous = periods.filtered(lambda p: p.date_start < period.date_start)
        previous = previous[-1] if previous else previous
        units = dict(KPI_UNITS)
        kpi_rows = []
        for kpi in kpis:
            own = own_now.get(kpi.id)
            prev = own_kpi.get((previous.id, kpi.id)) if previous else None
            stats = current.get(kpi.id) or {}
            # A rank within a withheld group would reveal N and the position.
            rank = {} if stats.get("withheld") else ranks.get(kpi.id, {})
            kpi_rows.append({
                "code": kpi.code, "name": kpi.name, "unit": kpi.unit,
                "unit_label": units.get(kpi.unit, ""),
                "higher_is_better": kpi.higher_is_better, "section": kpi.section,
                "description": kpi.description or "",
                "own": own, "prev": prev,
                "change": (100.0 * (own - prev) / abs(prev)
                           if own is not None and prev else None),
                # No mean for dealers: it is the figure most easily pulled
                # apart by comparing successive values of a live period.
                "stats": {key: stats.get(key) for key in (
                    "count", "median", "q1", "q3", "top_quartile_mean",
                    "min", "max", "withheld")},
                "withheld_fields": stats.get("withheld_fields") or {},
                "rank": rank.get("rank"),
                "percentile": rank.get("percentile"),
                "of": rank.get("of"),
                "trend": {
                    "own": [own_kpi.get((p.id, kpi.id)) for p in periods],
                    "median": [(published[p.id].get(kpi.id) or {}).get("median")
                               for p in periods],
                    "q1": [(published[p.id].get(kpi.id) or {}).get("q1")
                           for p in periods],
                    "q3": [(published[p.id].get(kpi.id) or {}).get("q3")
                           for p in periods],
                },
            })
        labels = self._input_labels(REVENUE_LINES)
        sections = dict(self.env["prm.benchmark.kpi"].fields_get(
            ["section"])["section"]["selection"])
        return {
            "dealer": partner.name,
            "period": {"id": period.id, "name": period.name},
            "group": {"id": group.id, "name": group.name,
                      "k": group.min_group_size},
            "periods": [{"id": p.id, "name": p.name} for p in periods],
            "sections": [{"key": key, "label": sections.get(key, key)}
                         for key, _label in KPI_SECTIONS],
            "kpis": kpi_rows,
            "revenue_mix": {
                "lines": [{"code": code, "label": labels.get(code, code)}
                          for code in REVENUE_LINES],
                "own": {code: [own_inputs.get((p.id, code)) for p in periods]
                        for code in REVENUE_LINES},
                "employees": [own_inputs.get((p.id, "employees")) for p in periods],
            },
            "distribution": self._distribution(period, group, kpis, own_now)
            if gives else {},
            "give_to_get": None if gives else _(
                "Group statistics are shown once your own figures for this "
                "period are submitted."),
            # "being updated" and "as of" of the statistics shown
            "freshness": engine._freshness(period | periods, group),
            "targets": self._targets(partner, periods),
        }

    @api.model
    def _input_labels(self, codes):
        # sudo: input labels are configuration, readable by all users anyway.
        return {record.code: record.name for record in self.env[
            "prm.benchmark.input"].sudo().search([("code", "in", list(codes))])}

    @api.model
    def _distribution(self, period, group, kpis, own_now):
        """Histogram bucket counts per KPI, only for groups large enough.

        Edges run from the 5th to the 95th percentile so the extremes (single
        firms) are not exposed; values outside fall into the end buckets.
        """
        engine = self.env["prm.benchmark.engine"]
        policy = engine._policy(group)
        key = ("histogram", period.id, group.id, engine._statistics_stamp(period))
        histograms = GROUP_DATA_CACHE.get(key)
        if histograms is None:
            histograms = {}
            for kpi_id, values in engine._group_values(period, group).items():
                bins = histogram(values, HISTOGRAM_BINS)
                if bins:
                    histograms[kpi_id] = (len(values),) + bins
            GROUP_DATA_CACHE[key] = histograms
        codes = {kpi.id: kpi.code for kpi in kpis}
        result = {}
        for kpi_id, (count, low, high, counts) in histograms.items():
            if count < policy.min_group_size_extremes or kpi_id not in codes:
                continue
            width = (high - low) / HISTOGRAM_BINS
            own = own_now.get(kpi_id)
            own_bin = None
            if own is not None:
                own_bin = min(max(int((own - low) / width), 0), HISTOGRAM_BINS - 1)
            result[codes[kpi_id]] = {
                "edges": [low + width * i for i in range(HISTOGRAM_BINS + 1)],
                "counts": list(counts), "own_bin": own_bin}
        return result

    @api.model
    def _targets(self, partner, periods):
        # sudo: the dealer's own targets (also what /my/targets shows).
        targets = self.env["prm.target"].sudo().search([
            ("partner_id", "=", partner.id),
            ("date_range_id", "in", periods.mapped("date_range_id").ids)],
            order="date_start, metric_sequence, id")
        metrics = {metric.id: (metric.name, metric.code)
                   for metric in targets.mapped("metric_id")}
        return [{"period": row["date_range_id"][1],
                 "metric": metrics[row["metric_id"][0]][0],
                 "metric_code": metrics[row["metric_id"][0]][1],
                 "target": row["target_value"], "actual": row["actual_value"],
                 "attainment": row["attainment"]}
                for row in targets.read(["date_range_id", "metric_id", "target_value",
                                         "actual_value", "attainment"])]

    @api.model
    def labels(self):
        """UI texts for the charts, in the user's language."""
        return {
            "own": _("Own value"), "median": _("Group median"),
            "top_quartile": _("Top quartile mean"), "q1": _("Lower quartile"),
            "q3": _("Upper quartile"), "withheld": _("withheld (group too small)"),
            "target": _("Target"), "actual": _("Actual"),
            "attainment": _("Attainment (%)"), "percentile": _("Percentile"),
            "dealers": _("Dealers"), "your_position": _("Your position"),
            "absolute": _("Absolute"), "per_employee": _("Per employee"),
            "quarter": _("Quarter"), "year": _("Year"), "no_data": _("No data"),
            "stale": _("being updated"), "as_of": _("Statistics as of %s"),
            "held_back": _("The statistics are updated when enough further "
                           "firms have submitted."),
        }
