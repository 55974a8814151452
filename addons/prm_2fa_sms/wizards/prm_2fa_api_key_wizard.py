from odoo import api, fields, models, _
from odoo.exceptions import AccessError

from .shown_once import show_once_action, shown_once


class Prm2faApiKeyWizard(models.TransientModel):
    """An administrator issues an API key; it is shown exactly once."""

    _name = "prm.2fa.api.key.wizard"
    _description = "Issue an API key"

    user_id = fields.Many2one("res.users", required=True)
    name = fields.Char(string="Purpose", required=True,
                       default=lambda self: _("Integration"))
    # computed from the showing action's context, never stored (shown_once)
    key = fields.Char(compute="_compute_key")

    def _compute_key(self):
        for wizard in self:
            wizard.key = shown_once(wizard)

    @api.multi
    def action_issue(self):
        self.ensure_one()
        if not self.env.user.has_group("base.group_system"):
            raise AccessError(_("Only administrators may issue API keys."))
        key = self.env["prm.2fa.api.key"]._issue(self.user_id, self.name)
        return show_once_action(self, key)
