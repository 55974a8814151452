from odoo import fields, models


class Prm2faNumberWizard(models.TransientModel):
    """Head office confirms a user's new number with the code sent to it,
    recording how the user's identity was checked (audited)."""

    _name = "prm.2fa.number.wizard"
    _inherit = "prm.2fa.identity.check"
    _description = "Confirm a new sign-in number"

    code = fields.Char(string="Code sent to the new number", required=True)

    def action_confirm(self):
        self.ensure_one()
        self.user_id._prm_confirm_number(
            self.code, self.identity_check, self.identity_note)
        return {"type": "ir.actions.act_window_close"}
