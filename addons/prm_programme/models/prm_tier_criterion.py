from odoo import api, fields, models, _
from odoo.exceptions import ValidationError

from odoo.addons.prm_benchmark.glue import number_format_of
from odoo.addons.prm_benchmark.lib import numbers

from ..lib import tier_rules


class PrmTierCriterion(models.Model):
    """A minimum a dealer must reach to hold a tier (head office sets it)."""

    _name = "prm.tier.criterion"
    _description = "Tier criterion"
    _order = "tier_id, sequence, id"

    tier_id = fields.Many2one(
        "prm.tier", string="Tier", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    criterion = fields.Selection(
        selection="_selection_criterion", required=True)
    threshold = fields.Float(
        string="Minimum", required=True,
        help="Revenue in EUR, attainment and response share in percent, "
             "benchmark participation in periods (of the last 4 quarters), "
             "technicians as a count, satisfaction as average stars (1-5).")
    unit = fields.Char(compute="_compute_unit")

    _sql_constraints = [
        ("criterion_unique", "unique(tier_id, criterion)",
         "A tier has each criterion only once."),
        ("threshold_not_negative", "CHECK(threshold >= 0)",
         "A minimum must not be negative."),
    ]

    @api.model
    def create(self, vals):
        self._prm_check_not_negative(vals)
        return super().create(vals)

    @api.multi
    def write(self, vals):
        self._prm_check_not_negative(vals)
        return super().write(vals)

    @api.model
    def _prm_check_not_negative(self, vals):
        """The SQL check ``threshold_not_negative`` with its message in the
        caller's language before PostgreSQL refuses it (Odoo 11 answers a
        JSON-RPC caller the constraint's English text, outside review 13)."""
        threshold = vals.get("threshold")
        if isinstance(threshold, (int, float)) and threshold < 0:
            raise ValidationError(_("A minimum must not be negative."))

    @api.constrains("criterion", "threshold")
    def _check_threshold_scale(self):
        """A minimum within the criterion's scale and with no more decimals
        than its figure is shown with (``tier_rules.threshold_problem``):
        7 stars or 97.87 % would show as a minimum nobody can read right."""
        labels = self._prm_labels()
        for record in self:
            problem = tier_rules.threshold_problem(record.criterion,
                                                   record.threshold)
            if not problem:
                continue
            kind, limit = problem
            if kind == "maximum":
                fmt = number_format_of(self.env)
                raise ValidationError(_(
                    "The minimum of \"%(criterion)s\" can be at most "
                    "%(maximum)s.") % {
                        "criterion": labels[record.criterion],
                        "maximum": numbers.format_number(
                            limit, fmt[0], fmt[1], digits=tier_rules.DIGITS[
                                tier_rules.CRITERIA[record.criterion]])})
            if limit == 0:
                raise ValidationError(_(
                    "The minimum of \"%(criterion)s\" must be a whole "
                    "number.") % {"criterion": labels[record.criterion]})
            raise ValidationError(_(
                "The minimum of \"%(criterion)s\" can have at most one "
                "decimal.") % {"criterion": labels[record.criterion]})

    @api.model
    def _selection_criterion(self):
        # A selection from a method is not translated by Odoo 11: _() here.
        return [
            ("revenue_4q", _("Revenue of the last 4 quarters (EUR)")),
            ("attainment", _("Revenue target attainment, last 4 quarters (%)")),
            ("benchmark", _("Benchmark participation, last 4 quarters")),
            ("technicians", _("Certified technicians")),
            ("response_within", _(
                "Leads answered within target time, last 12 months (%)")),
            ("satisfaction", _(
                "Customer satisfaction, last 12 months (average stars)")),
        ]

    @api.depends("criterion")
    def _compute_unit(self):
        units = self._prm_unit_labels()
        for record in self:
            record.unit = units.get(tier_rules.CRITERIA.get(record.criterion), "")

    @api.model
    def _prm_unit_labels(self):
        """Unit shown after a figure, per ``tier_rules.CRITERIA`` unit."""
        return {"currency": "€", "percent": "%", "count": "",
                "rating": _("of 5 stars")}

    @api.model
    def _prm_labels(self):
        return dict(self._selection_criterion())
