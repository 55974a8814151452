from odoo import fields, models

from ..lib.factor_change import IDENTITY_CHECKS


class Prm2faIdentityCheck(models.AbstractModel):
    """How head office checked a user's identity before changing one of the
    user's second factors (the number and reset wizards; audited by
    ``res.users._prm_identity_detail``)."""

    _name = "prm.2fa.identity.check"
    _description = "Identity check by head office"

    user_id = fields.Many2one("res.users", required=True)
    # Required in the form; the model method refuses a change without it
    # with a message (a database constraint would log an error).
    identity_check = fields.Selection(IDENTITY_CHECKS, string="Identity checked by")
    identity_note = fields.Char(
        string="Identity check details",
        help="Who checked, which number was called back, which document was "
             "seen. Kept in the audit.")
