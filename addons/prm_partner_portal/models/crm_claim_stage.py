from odoo import fields, models


class CrmClaimStage(models.Model):
    _inherit = "crm.claim.stage"

    prm_is_closed = fields.Boolean(
        string="Closing stage",
        help="Claims in this stage count as settled in the relationship view.")
