from odoo import fields, models


class PrmTouchpoint(models.Model):
    """Where a customer inquiry came from (web form, phone, trade fair, ...)."""

    _name = "prm.touchpoint"
    _description = "Customer touchpoint"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    target_response_hours = fields.Float(
        string="Target response time (h)", default=24.0,
        help="Share of leads answered within this time is reported per dealer.")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "The touchpoint code must be unique."),
    ]
