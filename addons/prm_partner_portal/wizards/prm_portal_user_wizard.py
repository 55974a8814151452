from odoo import api, fields, models, _
from odoo.exceptions import UserError

from ..models.res_users import PORTAL_CLASS_GROUPS


class PrmPortalUserWizard(models.TransientModel):
    """Head office creates a dealer's portal login with a permission class."""

    _name = "prm.portal.user.wizard"
    _description = "Create a partner portal user"

    dealer_id = fields.Many2one(
        "res.partner", string="Dealer", required=True,
        domain=[("prm_is_dealer", "=", True)])
    name = fields.Char(required=True)
    email = fields.Char(string="E-mail (login)", required=True)
    mobile = fields.Char(
        string="Mobile", help="Receives the one-time sign-in codes by SMS.")
    portal_class = fields.Selection([
        ("director", "Managing director"),
        ("bookkeeper", "Bookkeeper"),
    ], string="Permission class", required=True, default="director")
    send_invitation = fields.Boolean(default=True)

    @api.model
    def _normalise_login(self, email):
        return (email or "").strip().lower()

    def action_create_user(self):
        self.ensure_one()
        login = self._normalise_login(self.email)
        if "@" not in login:
            raise UserError(_("Please enter a valid e-mail address."))
        Users = self.env["res.users"].with_context(active_test=False)
        if Users.search_count([("login", "=", login)]):
            raise UserError(
                _("A user with the login %s already exists.") % login)
        contact = self.env["res.partner"].create({
            "name": self.name,
            "email": login,
            "mobile": self.mobile,
            "parent_id": self.dealer_id.id,
            "type": "contact",
        })
        user = Users.with_context(no_reset_password=True).create({
            "name": self.name,
            "login": login,
            "email": login,
            "partner_id": contact.id,
            "groups_id": [(6, 0, [
                self.env.ref("base.group_portal").id,
                self.env.ref(PORTAL_CLASS_GROUPS[self.portal_class]).id,
            ])],
        })
        if self.send_invitation:
            user.with_context(create_user=True).action_reset_password()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.users",
            "res_id": user.id,
            "view_mode": "form",
            "target": "current",
        }
