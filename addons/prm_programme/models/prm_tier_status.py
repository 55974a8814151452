from odoo import api, fields, models

from odoo.addons.prm_benchmark.glue import number_format_of
from odoo.addons.prm_benchmark.lib import numbers
from odoo.addons.prm_partner_portal.lib import dealer_figures

from ..lib import tier_card, tier_rules

#: status field of each criterion (``tier_rules.CRITERIA``)
VALUE_FIELDS = {code: "value_%s" % code for code in tier_rules.CRITERIA}
#: status field of each criterion's figure on the comparison day
PREVIOUS_FIELDS = {code: "previous_%s" % code for code in tier_rules.CRITERIA}


class PrmTierStatus(models.Model):
    """A dealer's figures at the last evaluation run (one row per dealer).

    The director reads the own row as himself (record rule on the company);
    the portal card and the proposals are made from it.
    """

    _name = "prm.tier.status"
    _description = "Tier status of a dealer"
    _order = "partner_id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Dealer", required=True, index=True,
        ondelete="cascade", readonly=True)
    territory_id = fields.Many2one(
        related="partner_id.prm_territory_id", store=True, index=True,
        readonly=True)
    tier_id = fields.Many2one(related="partner_id.prm_tier_id", readonly=True)
    qualified_tier_id = fields.Many2one(
        "prm.tier", string="Qualifies for", readonly=True, ondelete="set null")
    evaluated_on = fields.Datetime(readonly=True)
    grace_until = fields.Date(
        string="Tier kept until", readonly=True,
        help="Set while a confirmed downgrade waits for its grace period.")
    grace_tier_id = fields.Many2one(
        "prm.tier", string="Tier after grace", readonly=True, ondelete="set null")
    value_revenue_4q = fields.Float(string="Revenue, last 4 quarters (EUR)",
                                    readonly=True)
    value_attainment = fields.Float(string="Attainment, last 4 quarters (%)",
                                    readonly=True)
    value_benchmark = fields.Float(string="Benchmark participation",
                                   readonly=True)
    value_technicians = fields.Float(string="Certified technicians",
                                     readonly=True)
    value_response_within = fields.Float(
        string="Answered within target, last 12 months (%)", readonly=True)
    value_satisfaction = fields.Float(
        string="Customer satisfaction, last 12 months (1–5)", readonly=True)
    missing = fields.Char(
        string="Without figure", readonly=True,
        help="Criteria without a figure (comma-separated codes), e.g. no "
             "answered lead in the last 12 months.")

    # The same figures on the comparison day (``tier_rules.comparison_day``:
    # a quarter before the evaluation), recomputed by the run from today's
    # data with the same definitions: the trend on the tier card and the
    # scorecard. Certified technicians have no history (no figure).
    previous_on = fields.Date(
        string="Compared with", readonly=True,
        help="The day whose figures the trend compares with (a quarter "
             "before the evaluation).")
    previous_revenue_4q = fields.Float(
        string="Revenue, last 4 quarters (EUR), a quarter before",
        readonly=True)
    previous_attainment = fields.Float(
        string="Attainment, last 4 quarters (%), a quarter before",
        readonly=True)
    previous_benchmark = fields.Float(
        string="Benchmark participation, a quarter before", readonly=True)
    previous_technicians = fields.Float(
        string="Certified technicians, a quarter before", readonly=True)
    previous_response_within = fields.Float(
        string="Answered within target, last 12 months (%), a quarter before",
        readonly=True)
    previous_satisfaction = fields.Float(
        string="Customer satisfaction, last 12 months (1–5), a quarter before",
        readonly=True)
    previous_missing = fields.Char(
        string="Without figure a quarter before", readonly=True)

    _sql_constraints = [
        ("partner_unique", "unique(partner_id)",
         "A dealer has one tier status."),
    ]

    def _prm_values(self, previous=False):
        """``{criterion code: float or None}`` of this status (one record):
        the evaluation's figures, or with ``previous`` those of the
        comparison day (None before a run stored them)."""
        self.ensure_one()
        if previous and not self.previous_on:
            return None
        names, missing = ((PREVIOUS_FIELDS, self.previous_missing) if previous
                          else (VALUE_FIELDS, self.missing))
        missing = set((missing or "").split(","))
        return {code: None if code in missing else self[field]
                for code, field in names.items()}

    @api.model
    def _prm_vals_of(self, values, previous=False):
        """Field values of ``{criterion code: float or None}`` (with
        ``previous``: of the comparison day's fields)."""
        names, missing = ((PREVIOUS_FIELDS, "previous_missing") if previous
                          else (VALUE_FIELDS, "missing"))
        vals = {field: values.get(code) or 0.0 for code, field in names.items()}
        vals[missing] = ",".join(
            code for code in names if values.get(code) is None)
        return vals

    @api.model
    def _prm_card(self, dealer):
        """The tier card of ``dealer`` (the render model of the tier card on
        /my/home and of the scorecard's tier criteria section), or None
        before the first evaluation, when the dealer does not take part in
        the programme, or when the current user may not read the dealer's
        status (record rules decide).

        Returns ``{"tier", "next_tier" (None at the top), "rows"
        (``tier_card.card_rows``, with the trend against the comparison
        day), "labels" (criterion code -> label), "units" (unit kind ->
        text), "grace_until", "grace_tier", "evaluated_on" (the network's
        day of the run, ``dealer_figures.network_today``: the day whose
        windows the figures end on, as a date string), "previous_on" (the
        comparison day or False)}``; numbers formatted in the user's
        language.
        """
        # as the user: the record rules give a director or bookkeeper the
        # own company's row, a territory manager his region's
        status = self.search([("partner_id", "=", dealer.id)], limit=1)
        if not status or not dealer._prm_takes_part():
            # outside the programme the runs no longer evaluate the dealer:
            # no card of stale figures (as for a prospect without a run)
            return None
        # sudo: tiers and their criteria are the programme's published
        # rules (the same for every dealer); no dealer's figures are read
        tiers = self.env["prm.tier"].sudo().search([])
        Criterion = self.env["prm.tier.criterion"].sudo()
        current = dealer.sudo().prm_tier_id  # sudo: the status' dealer's tier
        rules = tiers._prm_rules()
        values = status._prm_values()
        upper, checks = tier_rules.distance_to_next(
            rules, values, current.id or None)
        own = [rule for rule in rules if rule.key == current.id]
        fmt = number_format_of(self.env)

        def format_number(value, digits):
            return numbers.format_number(value, fmt[0], fmt[1], digits=digits)

        return {
            "tier": current,
            "next_tier": tiers.browse(upper.key) if upper else None,
            "rows": tier_card.card_rows(
                checks, tier_rules.CRITERIA, format_number,
                current=tier_rules.check(own[0].thresholds, values)
                if own else (), previous=status._prm_values(previous=True)),
            "labels": Criterion._prm_labels(),
            "units": Criterion._prm_unit_labels(),
            "grace_until": status.grace_until,
            "grace_tier": status.grace_tier_id.sudo(),  # sudo: a tier's name
            # the day the figures' windows end on: the network's day of
            # the run (Europe/Berlin), not the UTC date of the timestamp
            "evaluated_on": status.evaluated_on and fields.Date.to_string(
                dealer_figures.network_today(
                    fields.Datetime.from_string(status.evaluated_on))),
            "previous_on": status.previous_on,
        }
