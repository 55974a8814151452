from odoo import api, fields, models, _
from odoo.exceptions import AccessError, UserError


class PrmPortalUserWizard(models.TransientModel):
    """Head office creates a dealer's portal login or changes its class.

    PRM managers are not user administrators: the wizard checks the PRM
    manager group itself and then creates only *portal* users with one of the
    two permission classes, attached to the chosen dealer.
    """

    _name = "prm.portal.user.wizard"
    _description = "Partner portal user"

    dealer_id = fields.Many2one(
        "res.partner", string="Dealer", required=True,
        domain=[("prm_is_dealer", "=", True)])
    user_id = fields.Many2one(
        "res.users", string="Existing portal user",
        help="Leave empty to create a new login; choose a user of this dealer "
             "to change their permission class.")
    name = fields.Char()
    email = fields.Char(string="E-mail (login)")
    mobile = fields.Char(
        string="Mobile", help="Receives the one-time sign-in codes by SMS.")
    portal_class = fields.Selection([
        ("director", "Managing director"),
        ("bookkeeper", "Bookkeeper"),
    ], string="Permission class", required=True, default="director")
    send_invitation = fields.Boolean(default=True)

    @api.onchange("dealer_id")
    def _onchange_dealer_id(self):
        return {"domain": {"user_id": [
            ("commercial_partner_id", "=", self.dealer_id.id), ("share", "=", True)]}}

    @api.onchange("user_id")
    def _onchange_user_id(self):
        if self.user_id:
            self.name = self.user_id.name
            self.email = self.user_id.login
            self.mobile = self.user_id.partner_id.mobile
            self.portal_class = self.user_id.prm_portal_class or "director"

    def _check_head_office(self):
        if not self.env.user._prm_is_head_office():
            raise AccessError(
                _("Only head office (PRM managers) may manage partner portal users."))

    def action_apply(self):
        self.ensure_one()
        self._check_head_office()
        if self.user_id:
            user = self._update_user()
        else:
            user = self._create_user()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.dealer_id.id,
            "view_mode": "form",
            "target": "current",
            "context": {"prm_portal_user_id": user.id},
        }

    def _class_groups(self):
        return self.env["res.users"]._prm_class_commands(self.portal_class)

    def _update_user(self):
        user = self.user_id
        if user.commercial_partner_id != self.dealer_id or not user.share:
            raise UserError(_("%s is not a portal user of this dealer.") % user.name)
        # sudo: head office was checked above; only the class groups of a
        # portal user of this dealer and the contact's mobile change.
        user.sudo().write({"groups_id": self._class_groups()})
        if self.mobile and self.mobile != user.partner_id.mobile:
            user.partner_id.sudo().mobile = self.mobile
        return user

    def _create_user(self):
        login = (self.email or "").strip().lower()
        if not self.name or "@" not in login:
            raise UserError(_("Please enter the name and a valid e-mail address."))
        # the one place dealers' users are created (also /my/users)
        return self.env["res.users"]._prm_create_portal_user(
            self.dealer_id, self.name, login, self.mobile, self.portal_class,
            invite=self.send_invitation)
