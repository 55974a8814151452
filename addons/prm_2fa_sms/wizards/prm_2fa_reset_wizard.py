from odoo import models


class Prm2faResetWizard(models.TransientModel):
    """Head office removes a user's authenticator app and recovery codes
    (a lost phone), recording how the user's identity was checked
    (audited, like a number change by head office)."""

    _name = "prm.2fa.reset.wizard"
    _inherit = "prm.2fa.identity.check"
    _description = "Reset the authenticator app and recovery codes"

    def action_confirm(self):
        self.ensure_one()
        self.user_id._prm_reset_methods(self.identity_check, self.identity_note)
        return {"type": "ir.actions.act_window_close"}
