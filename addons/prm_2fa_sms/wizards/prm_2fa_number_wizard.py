from odoo import fields, models

from ..lib.factor_change import IDENTITY_CHECKS


class Prm2faNumberWizard(models.TransientModel):
    """Head office confirms a user's new number with the code sent to it,
    recording how the user's identity was checked (audited)."""

    _name = "prm.2fa.number.wizard"
    _description = "Confirm a new sign-in number"

    user_id = fields.Many2one("res.users", required=True)
    code = fields.Char(string="Code sent to the new number", required=True)
    # Required in the form; ``_prm_confirm_number`` refuses a confirmation
    # without it with a message (a database constraint would log an error).
    identity_check = fields.Selection(IDENTITY_CHECKS, string="Identity checked by")
    identity_note = fields.Char(
        string="Identity check details",
        help="Who checked, which number was called back, which document was "
             "seen. Kept in the audit.")

    def action_confirm(self):
        self.ensure_one()
        self.user_id._prm_confirm_number(
            self.code, self.identity_check, self.identity_note)
        return {"type": "ir.actions.act_window_close"}
