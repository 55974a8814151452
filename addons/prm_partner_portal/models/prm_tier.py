from odoo import fields, models


class PrmTier(models.Model):
    """Partner tier (e.g. Premium, Standard, Service partner).

    Configurable records rather than a selection, so head office can rename and
    add tiers without code and comparison groups can refer to them.
    """

    _name = "prm.tier"
    _description = "Partner tier"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "The tier code must be unique."),
    ]
