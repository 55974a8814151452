import datetime

import pytz

from odoo import api, fields, models, _
from odoo.exceptions import ValidationError

from ..lib import targets as target_logic


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
        return self._prm_response_actuals(targets, "median")

    def _prm_actuals_leads_response_p90(self, targets):
        return self._prm_response_actuals(targets, "p90")

    def _prm_actuals_leads_response_average(self, targets):
        return self._prm_response_actuals(targets, "average")

    def _prm_actuals_leads_response_within_target(self, targets):
        return self._prm_response_actuals(targets, "within_target_share", 100.0)

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

    def _prm_response_actuals(self, targets, key, factor=1.0):
        """One response figure (see ``crm.lead._prm_response_statistics``) of
        the leads forwarded to each target's dealer within its period, times
        ``factor``; 0.0 without answered leads. Returns ``{target id: value}``.
        """
        result = {}
        Lead = self.env["crm.lead"].sudo()  # as for won leads: head office
        # figures; the caller already has access to the target.
        periods = {}
        for target in targets:
            periods.setdefault(target.date_range_id, self.browse())
            periods[target.date_range_id] |= target
        for period, period_targets in periods.items():
            start, end = self._prm_period_bounds(period)
            stats = Lead._prm_response_statistics([
                ("partner_assigned_id", "in", period_targets.mapped("partner_id").ids),
                ("prm_forwarded_date", ">=", start),
                ("prm_forwarded_date", "<", end),
            ], "partner_assigned_id")
            for target in period_targets:
                value = stats.get(target.partner_id.id, {}).get(key)
                result[target.id] = factor * value if value is not None else 0.0
        return result

    @api.model
    def aggregate(self, domain, by_territory=True):
        """Targets vs actuals per territory (with subtree) and for the network.

        One grouped query over the visible targets (record rules apply), then
        the territory roll-up is done in Python over the territory tree.
        Returns ``{"network": {(metric_id, period_id): figures},
        "territories": {territory_id: {(metric_id, period_id): figures}}}``.
        """
        groupby = ["metric_id", "date_range_id"]
        if by_territory:
            groupby.append("territory_id")
        groups = self.read_group(
            domain, ["target_value", "actual_value"] + groupby, groupby,
            lazy=False)
        metrics = {metric.id: metric.aggregation for metric in
                   self.env["prm.target.metric"].with_context(
                       active_test=False).search([])}
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
        return result
