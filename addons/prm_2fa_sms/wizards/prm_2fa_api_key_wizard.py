from odoo import api, fields, models, _
from odoo.exceptions import AccessError


class Prm2faApiKeyWizard(models.TransientModel):
    """An administrator issues an API key; it is shown exactly once."""

    _name = "prm.2fa.api.key.wizard"
    _description = "Issue an API key"

    user_id = fields.Many2one("res.users", required=True)
    name = fields.Char(string="Purpose", required=True,
                       default=lambda self: _("Integration"))
    key = fields.Char(readonly=True)

    @api.multi
    def action_issue(self):
        self.ensure_one()
        if not self.env.user.has_group("base.group_system"):
            raise AccessError(_("Only administrators may issue API keys."))
        self.key = self.env["prm.2fa.api.key"]._issue(self.user_id, self.name)
        return {
            "type": "ir.actions.act_window", "res_model": self._name,
            "res_id": self.id, "view_mode": "form", "target": "new",
        }
