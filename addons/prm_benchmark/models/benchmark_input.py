import re

from odoo import api, fields, models, _
from odoo.exceptions import ValidationError

from ..lib import units

CODE_PATTERN = re.compile(r"^[a-z_][a-z0-9_]*$")


def section_sequence(selection, key):
    """Position of ``key`` in a selection list (for ordering by section)."""
    order = {value: index for index, (value, _label) in enumerate(selection)}
    return order.get(key, 99)


SECTIONS = [
    ("revenue", "Revenue by line of business"),
    ("backlog", "Order backlog"),
    ("stock", "Stock"),
    ("cost", "Costs and result"),
    ("service", "Service and workshop"),
    ("statistics", "Statistics"),
]
# Input units: a part of the one unit catalogue (lib.units).
UNITS = [(code, units.UNITS[code][0])
         for code in ("currency", "count", "area", "percent", "days", "hours")]


class BenchmarkInput(models.Model):
    """One figure dealers enter per period (a line of the old questionnaire)."""

    _name = "prm.benchmark.input"
    _description = "Benchmark input field"
    _order = "section_sequence, sequence, id"

    code = fields.Char(
        required=True, index=True,
        help="Name used in KPI formulas: lower case letters, digits, underscore.")
    name = fields.Char(string="Label", required=True, translate=True)
    help_text = fields.Text(translate=True)
    section = fields.Selection(SECTIONS, required=True, default="revenue")
    section_sequence = fields.Integer(
        compute="_compute_section_sequence", store=True)
    unit = fields.Selection(UNITS, required=True, default="currency")
    sequence = fields.Integer(default=10)
    min_value = fields.Float(string="Minimum")
    max_value = fields.Float(string="Maximum")
    has_min = fields.Boolean(string="Lower bound")
    has_max = fields.Boolean(string="Upper bound")
    allow_negative = fields.Boolean(default=False)
    required_for_submit = fields.Boolean(
        string="Required", default=True,
        help="A period's entry can only be submitted when this value is filled.")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "The input code must be unique."),
    ]

    @api.depends("section")
    def _compute_section_sequence(self):
        for record in self:
            record.section_sequence = section_sequence(SECTIONS, record.section)

    @api.constrains("code")
    def _check_code(self):
        for record in self:
            record._check_code_format(record.code)

    @api.model
    def _check_code_format(self, code):
        """Raise a ValidationError unless ``code`` can be used in formulas."""
        if not CODE_PATTERN.match(code or ""):
            raise ValidationError(_(
                "The code '%s' may only contain lower case letters, digits "
                "and underscores and must not start with a digit.") % code)

    @api.constrains("min_value", "max_value", "has_min", "has_max")
    def _check_bounds(self):
        for record in self:
            if (record.has_min and record.has_max
                    and record.min_value > record.max_value):
                raise ValidationError(
                    _("The minimum of '%s' is above its maximum.") % record.name)

    def _field_spec(self):
        """Plain-dict description used by the validation logic in ``lib``."""
        self.ensure_one()
        return {
            "code": self.code,
            "label": self.name,
            "allow_negative": self.allow_negative,
            "min_value": self.min_value if self.has_min else None,
            "max_value": self.max_value if self.has_max else None,
            "unit": self.unit,
        }
