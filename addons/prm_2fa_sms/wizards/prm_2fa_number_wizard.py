from odoo import fields, models


class Prm2faNumberWizard(models.TransientModel):
    """Head office confirms a user's new number with the code sent to it."""

    _name = "prm.2fa.number.wizard"
    _description = "Confirm a new sign-in number"

    user_id = fields.Many2one("res.users", required=True)
    code = fields.Char(string="Code sent to the new number", required=True)

    def action_confirm(self):
        self.ensure_one()
        self.user_id._prm_confirm_number(self.code)
        return {"type": "ir.actions.act_window_close"}
