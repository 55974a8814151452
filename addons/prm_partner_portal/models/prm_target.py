import datetime

import pytz

from odoo import api, fields, models, _
from odoo.exceptions import ValidationError

from ..lib import targets as target_logic
from . import group_measures

# Metric sources whose actual is a statistic of the leads (not additive):
# source -> (key of crm.lead._prm_response_statistics, factor). A group of
# dealers has the statistic of all their leads, never a sum or mean of the
# dealers' figures.
RESPONSE_SOURCES = {
    "leads_response_median": ("median", 1.0),
    "leads_response_p90": ("p90", 1.0),
    "leads_response_average": ("average", 1.0),
    "leads_response_within_target": ("within_target_share", 100.0),
    # from the forwarding log (prm.lead.routing._prm_routing_statistics)
    "leads_acceptance_rate": ("acceptance_rate", 100.0),
    "leads_recall_count": ("recalled", 1.0),
}
MEASURES = ("target_value", "actual_value")


class PrmTarget(models.Model):
    """A strategic target of one dealer for one period and one metric."""

    _name = "prm.target"
    _description = "Dealer target"
    _order = "date_start desc, partner_id, metric_sequence, id"

    partner_id = fields.Many2one(
        "res.partner", string="Dealer", required=True, index=True,
        ondelete="cascade", domain=[("prm_is_dealer", "=", True)])
    territory_id = fields.Many2one(
        related="partner_id.prm_territory_id", store=True, index=True,
        readonly=True)
    date_range_id = fields.Many2one(
        "date.range", string="Period", required=True, index=True,
        ondelete="restrict")
    date_start = fields.Date(
        related="date_range_id.date_start", store=True, readonly=True)
    date_end = fields.Date(
        related="date_range_id.date_end", store=True, readonly=True)
    metric_id = fields.Many2one(
        "prm.target.metric", required=True, index=True, ondelete="restrict")
    metric_sequence = fields.Integer(
        related="metric_id.sequence", store=True, readonly=True)
    unit = fields.Selection(related="metric_id.unit", readonly=True)
    source = fields.Selection(related="metric_id.source", readonly=True)
    target_value = fields.Float(required=True, default=0.0)
    actual_value = fields.Float(
        default=0.0,
        help="Entered by hand for manual metrics, otherwise refreshed from "
             "the metric's source.")
    attainment = fields.Float(
        string="Attainment (%)", compute="_compute_attainment", store=True,
        group_operator=False)
    note = fields.Text()

    _sql_constraints = [
        ("target_unique", "unique(partner_id, date_range_id, metric_id)",
         "There is already a target for this dealer, period and metric."),
        ("target_not_negative", "CHECK(target_value >= 0)",
         "A target must not be negative."),
    ]

    @api.depends("target_value", "actual_value")
    def _compute_attainment(self):
        for target in self:
            target.attainment = target_logic.attainment_percent(
                target.target_value, target.actual_value) or 0.0

    @api.constrains("partner_id")
    def _check_partner_id(self):
        # sudo: only the dealer flag is read; whether the user may plan
        # targets for this dealer is the record rules' (create/write) call,
        # which must answer with an access error, not this message.
        if any(not target.partner_id.prm_is_dealer for target in self.sudo()):
            raise ValidationError(
                _("Targets can only be set for network dealers."))

    @api.model
    def create(self, vals):
        target = super().create(vals)
        target._refresh_actuals()
        return target

    def action_refresh_actuals(self):
        self._refresh_actuals()
        return True

    def _refresh_actuals(self):
        """Recompute actuals of non-manual targets from their metric's source.

        Each source is handled by ``_prm_actuals_<source>(targets)`` returning
        ``{target_id: value}`` for all given targets in batched queries.
        """
        by_source = {}
        for target in self:
            if target.source and target.source != "manual":
                by_source.setdefault(target.source, self.browse())
                by_source[target.source] |= target
        for source, source_targets in by_source.items():
            method = getattr(self, "_prm_actuals_%s" % source, None)
            if method is None:
                continue
            values = method(source_targets)
            for target in source_targets:
                value = values.get(target.id, 0.0)
                if target.actual_value != value:
                    target.actual_value = value

    def _prm_won_leads(self, targets, aggregate_field):
        """Sum ``aggregate_field`` (or count) of won forwarded leads per target."""
        result = {}
        # sudo: actuals are the dealer's own won leads for a target the caller
        # can already read; only sums per dealer come back.
        Lead = self.env["crm.lead"].sudo()
        periods = {}
        for target in targets:
            periods.setdefault(target.date_range_id, self.browse())
            periods[target.date_range_id] |= target
        for period, period_targets in periods.items():
            start, end = self._prm_period_bounds(period)
            groups = Lead.read_group([
                ("partner_assigned_id", "in", period_targets.mapped("partner_id").ids),
                ("probability", "=", 100),
                ("date_closed", ">=", start),
                ("date_closed", "<", end),
            ], ["partner_assigned_id", "planned_revenue"], ["partner_assigned_id"])
            per_dealer = {
                group["partner_assigned_id"][0]: (
                    group["planned_revenue"] if aggregate_field
                    else group["partner_assigned_id_count"])
                for group in groups}
            for target in period_targets:
                result[target.id] = per_dealer.get(target.partner_id.id, 0.0)
        return result

    def _prm_actuals_leads_won_revenue(self, targets):
        return self._prm_won_leads(targets, "planned_revenue")

    def _prm_actuals_leads_won_count(self, targets):
        return self._prm_won_leads(targets, None)

    def _prm_actuals_leads_response_median(self, targets):
        return self._prm_response_actuals(targets)

    def _prm_actuals_leads_response_p90(self, targets):
        return self._prm_response_actuals(targets)

    def _prm_actuals_leads_response_average(self, targets):
        return self._prm_response_actuals(targets)

    def _prm_actuals_leads_response_within_target(self, targets):
        return self._prm_response_actuals(targets)

    def _prm_actuals_leads_acceptance_rate(self, targets):
        return self._prm_response_actuals(targets)

    def _prm_actuals_leads_recall_count(self, targets):
        return self._prm_response_actuals(targets)

    def _prm_period_bounds(self, period):
        """UTC datetimes (strings) of a period's first and after-last moment.

        Periods are calendar dates of the network (the company's time zone,
        Europe/Berlin by default): a lead forwarded at 00:30 on 1 January in
        Berlin belongs to the new quarter although it is still 31 December in
        UTC.
        """
        tz = pytz.timezone(self.env.user.company_id.partner_id.tz
                           or "Europe/Berlin")

        def utc(day):
            local = tz.localize(datetime.datetime.combine(day, datetime.time()))
            return fields.Datetime.to_string(
                local.astimezone(pytz.utc).replace(tzinfo=None))

        start = fields.Date.from_string(period.date_start)
        end = fields.Date.from_string(period.date_end) + datetime.timedelta(days=1)
        return utc(start), utc(end)

    def _prm_response_actuals(self, targets):
        """The response figure of each target's metric (``RESPONSE_SOURCES``)
        over the leads forwarded to its dealer within its period; 0.0
        without answered leads. Returns ``{target id: value}``."""
        result = {}
        batches = {}
        for target in targets:
            batches.setdefault((target.date_range_id, target.source), self.browse())
            batches[target.date_range_id, target.source] |= target
        for (period, source), batch in batches.items():
            stats = self._prm_response_stats(batch.mapped("partner_id").ids, period,
                                             "partner_assigned_id")
            key, factor = RESPONSE_SOURCES[source]
            for target in batch:
                value = stats.get(target.partner_id.id, {}).get(key)
                result[target.id] = factor * value if value is not None else 0.0
        return result

    def _prm_response_stats(self, dealer_ids, period, groupby=None):
        """``crm.lead._prm_response_statistics`` of the leads forwarded to
        ``dealer_ids`` within ``period`` (per dealer, or all together)."""
        start, end = self._prm_period_bounds(period)
        # sudo: as for won leads, head office figures of dealers whose
        # targets the caller can read; only statistics come back.
        stats = self.env["crm.lead"].sudo()._prm_response_statistics([
            ("partner_assigned_id", "in", list(dealer_ids)),
            ("prm_forwarded_date", ">=", start),
            ("prm_forwarded_date", "<", end),
        ], groupby)
        # Acceptance and recalls count every forwarding to the dealer in the
        # period, also of leads recalled and now with another dealer.
        routing = self.env["prm.lead.routing"].sudo()._prm_routing_statistics([
            ("dealer_id", "in", list(dealer_ids)),
            ("forwarded_date", ">=", start),
            ("forwarded_date", "<", end),
        ], "dealer_id" if groupby else None)
        for key, row in routing.items():
            stats.setdefault(key, {}).update(
                acceptance_rate=row["acceptance_rate"], recalled=row["recalled"])
        return stats

    def _prm_group_response(self, dealer_ids, period, source):
        """The response figure of ``source`` over all leads of ``dealer_ids``
        in ``period`` together (a territory's or the network's own
        statistic); None without answered leads."""
        key, factor = RESPONSE_SOURCES[source]
        value = self._prm_response_stats(dealer_ids, period).get(False, {}).get(key)
        return factor * value if value is not None else None

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None,
                   orderby=False, lazy=True):
        """Grouped target and actual values by the metric's definition.

        A group of several metrics has no total (revenue and hours do not
        add up); one metric: the sum of its dealers ("sum"), their mean
        ("avg"), and for a response statistic the statistic of all the
        group's leads in its period (blank over several periods).
        """
        groups = super().read_group(domain, fields, groupby, offset=offset,
                                    limit=limit, orderby=orderby, lazy=lazy)
        if group_measures.is_raw(self):
            return groups
        single = group_measures.blank_unless_single(
            self, groups, MEASURES, "metric_id", domain)
        metrics = self.env["prm.target.metric"].with_context(
            active_test=False).browse(set(single.values()))
        for index, metric_id in single.items():
            group = groups[index]
            metric = metrics.browse(metric_id)
            count = group_measures.group_count(group, groupby)
            if count <= 1:
                continue
            if metric.aggregation == "avg":
                for field in MEASURES:
                    if group.get(field) is not False and field in group:
                        group[field] = (group[field] or 0.0) / count
            if "actual_value" in group and metric.source in RESPONSE_SOURCES:
                members = self.search(group_measures.group_domain(group, domain))
                periods = members.mapped("date_range_id")
                group["actual_value"] = False
                if len(periods) == 1:
                    value = self._prm_group_response(
                        members.mapped("partner_id").ids, periods, metric.source)
                    group["actual_value"] = False if value is None else value
        return groups

    @api.model
    def _aggregate(self, domain, by_territory=True):
        """Targets vs actuals per territory (with subtree) and for the network.

        One grouped query over the visible targets (record rules apply), then
        the territory roll-up is done in Python over the territory tree.
        Returns ``{"network": {(metric_id, period_id): figures},
        "territories": {territory_id: {(metric_id, period_id): figures}}}``.
        """
        groupby = ["metric_id", "date_range_id"]
        if by_territory:
            groupby.append("territory_id")
        # Odoo's sums, combined below by the metric's rule
        groups = self.with_context(**{group_measures.RAW: True}).read_group(
            domain, ["target_value", "actual_value"] + groupby, groupby,
            lazy=False)
        all_metrics = self.env["prm.target.metric"].with_context(
            active_test=False).search([])
        metrics = {metric.id: metric.aggregation for metric in all_metrics}
        rows = [{
            "metric_id": group["metric_id"][0],
            "period_id": group["date_range_id"][0],
            "territory_id": (group.get("territory_id") or [False])[0],
            "target": group["target_value"],
            "actual": group["actual_value"],
            "count": group["__count"],
        } for group in groups]

        def combine_by_key(rows_):
            keyed = {}
            for row in rows_:
                keyed.setdefault((row["metric_id"], row["period_id"]), []).append(row)
            return {key: target_logic.combine(values, metrics.get(key[0], "sum"))
                    for key, values in keyed.items()}

        result = {"network": combine_by_key(rows), "territories": {}}
        if by_territory:
            # sudo: only the parent links of territories are read, to walk the
            # tree; the figures themselves come from the rule-filtered query.
            territories = self.env["prm.territory"].sudo().with_context(
                active_test=False).search_read([], ["parent_id"])
            parent_of = {t["id"]: t["parent_id"] and t["parent_id"][0]
                         for t in territories}
            for territory_id, territory_rows in target_logic.rollup(
                    [r for r in rows if r["territory_id"]], parent_of).items():
                result["territories"][territory_id] = combine_by_key(territory_rows)
        self._prm_aggregate_statistics(
            domain, result, {metric.id: metric.source for metric in all_metrics
                             if metric.source in RESPONSE_SOURCES})
        return result

    def _prm_aggregate_statistics(self, domain, result, statistic_sources):
        """Put the level's own statistic (``RESPONSE_SOURCES``) as the actual
        of every territory and of the network into ``aggregate``'s
        ``result``: the median of a territory's leads, not a mean of its
        dealers' medians. ``statistic_sources``: metric id -> source."""
        keys = {key for figures in [result["network"]] +
                list(result["territories"].values())
                for key in figures if key[0] in statistic_sources}
        if not keys:
            return
        members = self.search_read(
            list(domain) + [("metric_id", "in", list({k[0] for k in keys}))],
            ["partner_id", "territory_id", "metric_id", "date_range_id"])
        # sudo: only the parent links of territories are read (as above)
        chains = target_logic.ancestors_map({
            t["id"]: t["parent_id"] and t["parent_id"][0]
            for t in self.env["prm.territory"].sudo().with_context(
                active_test=False).search_read([], ["parent_id"])})
        dealers = {}  # (territory id or None, metric, period) -> dealer ids
        for member in members:
            key = (member["metric_id"][0], member["date_range_id"][0])
            territory = member["territory_id"] and member["territory_id"][0]
            for level in [None] + (chains.get(territory, [territory])
                                   if territory else []):
                dealers.setdefault((level,) + key, set()).add(
                    member["partner_id"][0])
        periods = self.env["date.range"]
        for (level, metric_id, period_id), dealer_ids in dealers.items():
            figures = (result["network"] if level is None
                       else result["territories"].get(level, {})).get(
                (metric_id, period_id))
            if figures is None:
                continue
            figures["actual"] = self._prm_group_response(
                dealer_ids, periods.browse(period_id),
                statistic_sources[metric_id])
            figures["attainment"] = target_logic.attainment_percent(
                figures["target"], figures["actual"])
