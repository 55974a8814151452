from odoo import api, fields, models, _
from odoo.exceptions import AccessError, UserError

from ..models.res_users import PORTAL_CLASS_GROUPS


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
        return [(4, self.env.ref("base.group_portal").id)] + [
            (4 if key == self.portal_class else 3, self.env.ref(xmlid).id)
            for key, xmlid in PORTAL_CLASS_GROUPS.items()]

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
        # sudo: head office was checked above; logins are unique across
        # companies, so the search must see every user.
        Users = self.env["res.users"].sudo().with_context(active_test=False)
        if Users.search_count([("login", "=", login)]):
            raise UserError(_("A user with the login %s already exists.") % login)
        contact = self.env["res.partner"].create({
            "name": self.name,
            "email": login,
            "mobile": self.mobile,
            "parent_id": self.dealer_id.id,
            "type": "contact",
        })
        # sudo: PRM managers are not user administrators; what is created is
        # fixed here: a portal user of this dealer with one permission class.
        user = Users.with_context(no_reset_password=True).create({
            "name": self.name,
            "login": login,
            "email": login,
            "partner_id": contact.id,
            "groups_id": [(6, 0, [])] + self._class_groups(),
        })
        if self.send_invitation:
            self._queue_invitation(user)
        return user

    def _queue_invitation(self, user):
        """Queue Odoo's signup invitation (no expiry) for the mail cron.

        Unlike ``action_reset_password`` the mail is not sent synchronously,
        so an unreachable mail server cannot undo the user creation.
        """
        user.partner_id.sudo().signup_prepare(signup_type="reset", expiration=False)
        template = self.env.ref("auth_signup.set_password_email")
        # sudo: mail templates are readable by administrators only; the
        # template renders the invitation of the user just created.
        template.sudo().with_context(lang=user.lang).send_mail(
            user.id, force_send=False)
