import logging
import os
import time

from odoo import api, fields, models, _
from odoo.addons.prm_partner_portal.lib import dealer_figures
from odoo.service import server as odoo_server
from odoo.tools import config, lru

from ..glue import number_format_of
from ..lib import analysis_view
from ..lib import formula as formula_engine
from ..lib.anonymity import NO_OWN_ENTRY, safe_groups, withhold_all
from ..lib.release import PROTECT, RELEASED_KEYS, group_release, release_kpi

from .benchmark_engine import GROUP_DATA_CACHE
from .benchmark_kpi import KPI_SECTIONS

_logger = logging.getLogger(__name__)

TREND_PERIODS = 8
# Periods offered in the analysis' choice (``_analysis_periods``).
ANALYSIS_PERIODS = 16
HISTOGRAM_BINS = 10
# Per worker: releases per (period, group, KPI, viewer value, stamp).
RELEASE_CACHE = lru.LRU(8192)
# Per worker: the KPI and input catalogue of the view per language, keyed by a
# digest of the catalogue rows and their translations (``_catalogue``).
CATALOGUE_CACHE = lru.LRU(64)
# The translated fields and selections the catalogue shows.
CATALOGUE_TRANSLATIONS = (
    "prm.benchmark.kpi,name", "prm.benchmark.kpi,description",
    "prm.benchmark.kpi,unit", "prm.benchmark.kpi,section",
    "prm.benchmark.input,name")
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
        # group names and ids are returned. The dealer's groups in one query
        # (as sudo would; reading the member records was 2 % of the page).
        self.env.cr.execute("""
            SELECT DISTINCT group_id FROM prm_benchmark_group_member
             WHERE partner_id = %s ORDER BY group_id
        """, [partner.id])
        own = self.env["prm.benchmark.group"].sudo().browse(
            [row[0] for row in self.env.cr.fetchall()])
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
    def _analysis_data(self, partner, period, group, groups=None):
        """The data of the view (period, group) for ``partner``.

        ``groups``: ``_visible_groups(partner, period)`` when the caller has
        them already.
        """
        # sudo below: the dealer's own figures and KPI values (partner is the
        # caller's own company, checked by the controller) and the filtered
        # statistics; nothing of another dealer is put into the result.
        catalogue = self._catalogue()
        kpis = catalogue["kpis"]
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
        # "Give to get": no group statistics of a period, the trend's
        # included, without the dealer's own counted entry in it.
        gives = self.env["prm.benchmark.engine"]._counted_period_ids(
            partner, periods)
        previous = periods.filtered(lambda p: p.date_start < period.date_start)
        previous = previous[-1] if previous else previous
        units = self._unit_labels()
        kpi_dicts = [dict(kpi, unit_label=units.get(kpi["unit"], ""))
                     for _kpi_id, kpi in kpis]
        labels = catalogue["input_labels"]
        sections = catalogue["sections"]
        own = {(period_id, kpi["code"]): own_kpi.get((period_id, kpi_id))
               for period_id in periods.ids for kpi_id, kpi in kpis}
        header = {
            "dealer": partner.name,
            "period": {"id": period.id, "name": period.name},
            "group": {"id": group.id, "name": group.name,
                      "k": group.min_group_size},
            "sections": [{"key": key, "label": sections.get(key, key)}
                         for key, _label in KPI_SECTIONS],
        }
        extra = {
            "revenue_mix": {
                "lines": [{"code": code, "label": labels.get(code, code)}
                          for code in REVENUE_LINES],
                "own": {code: [own_inputs.get((p.id, code)) for p in periods]
                        for code in REVENUE_LINES},
                "employees": [own_inputs.get((p.id, "employees")) for p in periods],
            },
            "give_to_get": None if period.id in gives else _(
                "Group statistics are shown once your own figures for this "
                "period are submitted."),
            # "being updated" and "as of" of the statistics shown
            "freshness": self.env["prm.benchmark.engine"]._freshness(
                period | periods, group),
            "targets": self._targets(partner, periods),
        }
        releases = self._releases(periods, period, group, kpis, partner, gives)
        codes = {kpi_id: kpi["code"] for kpi_id, kpi in kpis}
        for period_id, kpi_id in self._top_group_conflicts(
                periods, self._visible_groups(partner, period)
                if groups is None else groups, group):
            # Overlapping groups whose top groups differ by few dealers:
            # the difference of their top-quartile means would reveal them.
            by_code = releases[period_id]
            code = codes.get(kpi_id)
            if code in by_code and by_code[code].get("top_quartile_mean") \
                    is not None:
                by_code[code] = dict(by_code[code], top_quartile_mean=None,
                                     withheld_fields=dict(
                                         by_code[code]["withheld_fields"],
                                         top_quartile_mean=PROTECT))
        view = analysis_view.build_view(
            header, kpi_dicts, [{"id": p.id, "name": p.name} for p in periods],
            period.id, previous.id if previous else None, own, releases,
            number_format_of(self.env), self._cell_texts(), extra)
        view["charts"] = self._charts(catalogue, kpi_dicts, header["sections"],
                                      view["distribution"], extra["targets"],
                                      units)
        return view

    @api.model
    def _catalogue(self):
        """The KPI and input catalogue as the view shows it, in the user's
        language: ``{"kpis": [(kpi_id, kpi dict of lib.analysis_view,
        unit_label None)], "variants": {code: per-employee code},
        "input_labels": {code: label}, "sections": {key: label}}``.

        Read once per worker and language and kept while a digest of the
        KPI and input rows and their translations stays the same (one query
        on small tables): any change of the catalogue, in any worker or
        node, changes the key. The unit labels (currency symbol, code
        translations) are not part of it: ``_unit_labels`` per request.
        Callers must not change the returned structure.
        """
        # sudo: the catalogue is configuration, readable by all users anyway.
        Kpi = self.env["prm.benchmark.kpi"].sudo()
        lang = self.env.lang or "en_US"
        self.env.cr.execute("""
            SELECT (SELECT md5(string_agg(k::text, ',' ORDER BY k.id))
                      FROM prm_benchmark_kpi k),
                   (SELECT md5(string_agg(i::text, ',' ORDER BY i.id))
                      FROM prm_benchmark_input i),
                   (SELECT md5(string_agg(t::text, ',' ORDER BY t.id))
                      FROM ir_translation t
                     WHERE t.lang = %s AND t.name IN %s)
        """, [lang, CATALOGUE_TRANSLATIONS])
        key = (self.env.cr.dbname, lang) + self.env.cr.fetchone()
        catalogue = CATALOGUE_CACHE.get(key)
        if catalogue is None:
            kpis = Kpi.search([])
            pairs = [(kpi.id, {
                "code": kpi.code, "name": kpi.name, "unit": kpi.unit,
                "unit_label": None,   # per request (_analysis_data)
                "higher_is_better": kpi.higher_is_better,
                "section": kpi.section, "description": kpi.description or "",
                "chart_hint": kpi.chart_hint,
                "chart_distribution": kpi.chart_distribution}) for kpi in kpis]
            trees = {kpi.code: formula_engine.parse(kpi.formula).tree
                     for kpi in kpis}
            catalogue = CATALOGUE_CACHE[key] = {
                "kpis": pairs,
                "variants": analysis_view.per_employee_variants(
                    [kpi for _kpi_id, kpi in pairs], trees),
                "input_labels": self._input_labels(REVENUE_LINES),
                "sections": dict(Kpi.fields_get(["section"])["section"][
                    "selection"]),
            }
        return catalogue

    @api.model
    def _charts(self, catalogue, kpi_dicts, sections, distribution=(),
                targets=(), units=None):
        """The chart list of the view (``analysis_view.chart_list``), from
        the KPI catalogue's chart hints (``_catalogue``); titles in the
        user's language; ``units``: ``_unit_labels()`` if already read."""
        first = targets[0] if targets else None
        return analysis_view.chart_list(
            kpi_dicts, sections, self._chart_texts(),
            variants=catalogue["variants"],
            distribution=distribution, target_metric=first and {
                "code": first["metric_code"], "name": first["metric"],
                "unit": first["unit"]},
            unit_labels=units if units is not None else self._unit_labels())

    @api.model
    def _unit_labels(self):
        """``{unit: label}`` of the unit catalogue in the user's language;
        money in the company's currency ("€", "€ per employee"), not the
        catalogue's generic name (outside review: "Währung")."""
        labels = dict(self.env["prm.benchmark.kpi"]._fields["unit"]
                      ._description_selection(self.env))
        symbol = self.env.user.company_id.currency_id.symbol
        if symbol:
            labels["currency"] = symbol
            labels["per_employee"] = _("%s per employee") % symbol
        return labels

    @api.model
    def _chart_texts(self):
        """Chart titles (``analysis_view.CHART_TEXT_KEYS``), translated."""
        return {
            "trend": _("%s – trend"), "compare": _("%s – own value and group"),
            "range": _("%s – position in the group"),
            "histogram": _("%s – distribution in the group"),
            "profile": _("KPI profile: your percentile in the group"),
            "mix_donut": _("Revenue mix"),
            "mix_periods": _("Revenue by line over time"),
            "target_rows": _("%s: target and actual"),
            "attainment": _("Attainment (%)"),
            "index_unit": _("Index, group median = 100"), "and": _("%s and %s"),
        }

    @api.model
    def _top_group_conflicts(self, periods, groups, group):
        """``{(period_id, kpi_id)}`` where ``group``'s top-quartile mean is withheld.

        Two groups the dealer sees whose top groups (the firms averaged in
        the top-quartile mean) overlap and differ by 1 to k - 1 firms give
        those firms' values away by difference (the differencing rule of
        ``lib.anonymity``, applied to the top groups). Of such a pair the
        smaller group (then the higher id) withholds the mean, for every
        viewer, so the choice is the same in both groups' views.
        """
        if group not in groups or len(groups) < 2:
            return set()
        # The pairs of top groups are stored by each refresh from the
        # released statistics (what dealers see), with their difference.
        others = tuple((groups - group).ids)
        self.env.cr.execute("""
            SELECT period_id, kpi_id,
                   CASE WHEN group_a_id = %s THEN group_b_id ELSE group_a_id END
              FROM prm_benchmark_conflict
             WHERE kind = 'top' AND period_id IN %s AND difference < %s
               AND ((group_a_id = %s AND group_b_id IN %s)
                    OR (group_b_id = %s AND group_a_id IN %s))
        """, [group.id, tuple(periods.ids) or (0,),
              max(groups.mapped("min_group_size") + [2]),
              group.id, others, group.id, others])
        found = self.env.cr.fetchall()
        if not found:
            return set()
        sizes = {g.id: (g.member_count, -g.id) for g in groups}
        return {(period_id, kpi_id)
                for period_id, kpi_id, other in found
                if sizes[group.id] < sizes[other]}

    @api.model
    def _releases(self, periods, current, group, kpis, partner, gives=None):
        """``{period_id: {code: release}}``: all the viewer may receive.

        ``kpis``: ``[(kpi_id, kpi dict)]`` of ``_catalogue``.

        ``lib.release`` decides every statistic per period and KPI from the
        group's sorted values and the viewer's own value; the histogram is
        only released for the current period. Its input is what the time
        differencing rule released (``prm_benchmark_stat_release``: the
        statistics, the sorted values for ranks and histogram), never the
        live statistics. ``gives``: ids of the periods in which the viewer
        has a counted entry ("give to get"); in the others everything is
        withheld (reason ``no_own_entry``); None: no such restriction.
        Cached per worker with the statistics stamp and the viewer's value
        (the release depends on its position in the group). The viewer's
        value is the one counted in the released statistics
        (``_released_own_values``), not the current one.
        """
        engine = self.env["prm.benchmark.engine"]
        policy = engine._policy(group)
        stamps = engine._statistics_stamps(periods)
        own_kpi = engine._released_own_values(partner, periods, group, stamps)
        raw = engine._raw_statistics_of_periods(periods, group)
        result = {}
        for period in periods:
            stamp = stamps[period.id]
            values = engine._group_values(period, group, stamp=stamp)
            result[period.id] = by_code = {}
            for kpi_id, kpi in kpis:
                if gives is not None and period.id not in gives:
                    by_code[kpi["code"]] = dict(
                        withhold_all(dict.fromkeys(RELEASED_KEYS), NO_OWN_ENTRY),
                        rank=None, percentile=None, of=None, histogram=None)
                    continue
                ascending = values.get(kpi_id) or ()
                own = own_kpi.get((period.id, kpi_id))
                # The histogram only of the current period (the audit then
                # sees exactly what is released).
                bins = HISTOGRAM_BINS if period == current else 0
                key = ("release", period.id, group.id, kpi_id, own,
                       policy.p_percent, stamp, bins)
                release = RELEASE_CACHE.get(key)
                if release is None:
                    base = self._group_release_base(
                        period, group, kpi_id, kpi, policy, stamp, ascending,
                        raw)
                    release = RELEASE_CACHE[key] = release_kpi(
                        ascending, own, kpi["higher_is_better"], policy,
                        raw=raw.get((period.id, kpi_id)), bins=bins, base=base)
                by_code[kpi["code"]] = release
        return result

    @api.model
    def _group_release_base(self, period, group, kpi_id, kpi, policy, stamp,
                            ascending, raw):
        """``lib.release.group_release`` of one period, group and KPI: what
        every viewer of the group gets, computed once per worker and
        statistics stamp (``RELEASE_CACHE``). ``ascending``: the group's
        sorted values (``_group_values``), ``raw``: ``_raw_statistics_of_periods``.
        """
        key = ("group release", period.id, group.id, kpi_id, policy.p_percent,
               stamp)
        base = RELEASE_CACHE.get(key)
        if base is None:
            base = RELEASE_CACHE[key] = group_release(
                ascending, kpi["higher_is_better"], policy,
                raw=raw.get((period.id, kpi_id)))
        return base

    @api.model
    def _analysis_periods(self):
        """The periods a director's analysis offers, newest first: the
        ``ANALYSIS_PERIODS`` newest that have begun on the network's day
        (Europe/Berlin). Periods set up in advance have no figures yet and
        must not push the published ones out of the choice (outside review
        14: 16 future quarters made every published period a 404).
        Searched in the caller's environment (record rules apply).
        """
        today = fields.Date.to_string(dealer_figures.network_today())
        return self.env["prm.benchmark.period"].search(
            [("date_start", "<=", today)], order="date_start desc",
            limit=ANALYSIS_PERIODS)

    @api.model
    def _default_period(self, periods):
        """The period a director's analysis opens with: the newest published
        of ``periods`` (newest first), else the newest."""
        return periods.filtered(lambda p: p.state == "published")[:1] \
            or periods[:1]

    @api.model
    def _warm_caches(self):
        """Fill this process's group caches for the default view and the
        periods before it: the group values and ``_group_release_base`` of
        every KPI in the trends of the default period and the 7 periods
        before it, largest groups first, until half of
        ``GROUP_DATA_CACHE``'s bound is used. Returns ``(groups, values)``
        warmed.

        Called in the prefork master before it forks its workers
        (``_register_hook``): every worker starts with them (copy on write)
        instead of paying each group's first view itself (at 50,000 dealers
        about 0.9 s per group and worker, ``make bench`` row 1c). The keys
        carry the statistics stamps read here, so a release after the start
        makes the entries of its period unused, never wrong.
        """
        # sudo: head-office data kept in this process's caches only; no
        # record or value leaves this method.
        Period = self.env["prm.benchmark.period"].sudo()
        period = self._default_period(self.sudo()._analysis_periods())
        if not period:
            return 0, 0
        # The trends of the default period and of the 7 before it (what a
        # director switches to): the newest 15 periods of its kind.
        periods = Period.search([("kind", "=", period.kind),
                                 ("date_start", "<=", period.date_start)],
                                order="date_start desc",
                                limit=2 * TREND_PERIODS - 1)
        engine = self.env["prm.benchmark.engine"].sudo()
        stamps = engine._statistics_stamps(periods)
        kpis = self.with_context(lang="en_US")._catalogue()["kpis"]
        self.env.cr.execute("""
            SELECT group_id FROM prm_benchmark_stat_release
             WHERE period_id = %s AND sorted_values IS NOT NULL
          GROUP BY group_id ORDER BY MAX(cardinality(sorted_values)) DESC,
                   group_id
        """, [period.id])
        groups = self.env["prm.benchmark.group"].sudo().browse(
            [row[0] for row in self.env.cr.fetchall()])
        warmed = 0
        for group in groups:
            # Half of each cache's bounds (values and entries): a warm-up
            # that overflowed one would evict its own largest groups
            # (outside review 14: from 18 groups on).
            if GROUP_DATA_CACHE.total >= GROUP_DATA_CACHE.max_weight / 2 \
                    or len(GROUP_DATA_CACHE.d) + len(periods) \
                    > GROUP_DATA_CACHE.count / 2 \
                    or len(RELEASE_CACHE.d) + len(periods) * len(kpis) \
                    > RELEASE_CACHE.count / 2:
                break
            policy = engine._policy(group)
            raw = engine._raw_statistics_of_periods(periods, group)
            for trend_period in periods:
                stamp = stamps[trend_period.id]
                values = engine._group_values(trend_period, group, stamp=stamp)
                for kpi_id, kpi in kpis:
                    self._group_release_base(
                        trend_period, group, kpi_id, kpi, policy, stamp,
                        values.get(kpi_id) or (), raw)
            warmed += 1
        return warmed, GROUP_DATA_CACHE.total

    def _register_hook(self):
        super()._register_hook()
        if not _prefork_master():
            return
        started = time.time()
        try:
            # A savepoint: a failed warm-up leaves the loading cursor usable
            # (the workers then simply start cold).
            with self.env.cr.savepoint():
                groups, values = self._warm_caches()
        except Exception:   # never keep the server from starting
            _logger.warning("benchmark caches not warmed", exc_info=True)
            return
        _logger.info("benchmark caches warmed for %d groups (%d values) in "
                     "%.1f s", groups, values, time.time() - started)

    @api.model
    def _cell_texts(self):
        return {"protect": _("withheld to protect other firms"), "none": "–"}

    @api.model
    def _input_labels(self, codes):
        # sudo: input labels are configuration, readable by all users anyway.
        return {record.code: record.name for record in self.env[
            "prm.benchmark.input"].sudo().search([("code", "in", list(codes))])}

    @api.model
    def _targets(self, partner, periods):
        """The dealer's own targets of ``periods`` (also what /my/targets
        shows): ``[{period, metric, metric_code, unit, target, actual,
        attainment}]`` by period start, metric sequence and id.

        One query on the stored values (as sudo would: ``partner`` is the
        caller's own company; an empty value is 0.0, as the ORM reads it);
        metric names through the ORM (translated).
        """
        self.env.cr.execute("""
            SELECT d.name, t.metric_id, COALESCE(t.target_value, 0),
                   COALESCE(t.actual_value, 0), COALESCE(t.attainment, 0)
              FROM prm_target t
              JOIN date_range d ON d.id = t.date_range_id
             WHERE t.partner_id = %s AND t.date_range_id IN (
                   SELECT date_range_id FROM prm_benchmark_period
                    WHERE id IN %s)
          ORDER BY t.date_start, t.metric_sequence, t.id
        """, [partner.id, tuple(periods.ids) or (0,)])
        rows = self.env.cr.fetchall()
        # sudo: the names, codes and units of the metrics of the dealer's
        # own targets (configuration).
        metrics = {metric.id: (metric.name, metric.code, metric.unit)
                   for metric in self.env["prm.target.metric"].sudo().browse(
                       {row[1] for row in rows})}
        return [{"period": name, "metric": metrics[metric_id][0],
                 "metric_code": metrics[metric_id][1],
                 "unit": metrics[metric_id][2], "target": target,
                 "actual": actual, "attainment": attainment}
                for name, metric_id, target, actual, attainment in rows]

    @api.model
    def _labels(self):
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


def _prefork_master():
    """Whether this process is the prefork master loading its registries
    before it forks the workers (not a worker, a script, a test run or a
    ``--stop-after-init``)."""
    current = odoo_server.server
    return isinstance(current, odoo_server.PreforkServer) \
        and os.getpid() == current.pid \
        and not config.get("stop_after_init") and not config.get("test_enable")
