from odoo import fields, models

from ..lib.factor_change import IDENTITY_CHECKS


class Prm2faResetWizard(models.TransientModel):
    """Head office removes a user's authenticator app and recovery codes
    (a lost phone), recording how the user's identity was checked
    (audited, like a number change by head office)."""

    _name = "prm.2fa.reset.wizard"
    _description = "Reset the authenticator app and recovery codes"

    user_id = fields.Many2one("res.users", required=True)
    # Required in the form; ``_prm_reset_methods`` refuses a reset without
    # it with a message (a database constraint would log an error).
    identity_check = fields.Selection(IDENTITY_CHECKS, string="Identity checked by")
    identity_note = fields.Char(
        string="Identity check details",
        help="Who checked, which number was called back, which document was "
             "seen. Kept in the audit.")

    def action_confirm(self):
        self.ensure_one()
        self.user_id._prm_reset_methods(self.identity_check, self.identity_note)
        return {"type": "ir.actions.act_window_close"}
