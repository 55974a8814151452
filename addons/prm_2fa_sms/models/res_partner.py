from odoo import SUPERUSER_ID, api, models, _
from odoo.exceptions import AccessError

from ..glue import as_validation_error
from ..lib import phone
from ..lib.phone import mask_phone
from ..lib.errors import TwoFactorError

DEFAULT_COUNTRY = "DE"
# Head office: who may change the number that receives a user's codes.
NUMBER_MANAGER_GROUPS = ("base.group_system", "prm_partner_portal.group_prm_manager")


class ResPartner(models.Model):
    """The mobile number of a user who receives codes is a second factor.

    Any other contact's mobile field stays free text (a landline, a foreign
    number as typed). For a partner of a user who must use the SMS code the
    number is checked strictly and stored in E.164, and a change is made by
    head office only and waits as the user's pending number until a code sent
    to it is confirmed; the old number keeps receiving codes until then. A
    user's first number (none before) is set at once.
    """

    _inherit = "res.partner"

    def _prm_code_users(self):
        """Users of these partners who receive sign-in codes."""
        # sudo: users are linked to partners the writer may not read as
        # res.users; only the link and the 2FA rule are read.
        users = self.env["res.users"].sudo().search([("partner_id", "in", self.ids)])
        service = self.env["prm.2fa.service"]
        return users.filtered(service._required_for)

    def write(self, vals):
        if "mobile" not in vals or self.env.context.get("prm_2fa_number_confirmed"):
            return super().write(vals)
        users = self._prm_code_users()
        if not users:
            return super().write(vals)
        vals = dict(vals)
        typed = vals.pop("mobile")
        changes = []
        for user in users:
            partner = user.partner_id
            number = self._prm_normalised_mobile(
                typed, vals.get("country_id", partner.country_id.id),
                vals.get("parent_id", partner.parent_id.id))
            # sudo: the pending number is an admin-only field.
            if number != partner.mobile or user.sudo().prm_2fa_mobile_pending:
                changes.append((user, number))
        if changes:
            self._prm_check_number_manager()
        for user, number in changes:
            if number and number == user.partner_id.mobile:
                # The current number again: nothing waits any more.
                user.sudo().prm_2fa_mobile_pending = False
            elif number and not user.partner_id.mobile and \
                    not user.sudo().prm_2fa_factor_changed_at:
                # A user's first number: there is no factor yet to protect.
                # After a removal (lost phone) the new number waits for its
                # code and head office's identity check like any change.
                user.with_env(self.env)._prm_set_first_number(number)
            else:
                # As the writer, so the audit names who changed it.
                user.with_env(self.env)._prm_set_pending_number(number)
        others = self - users.mapped("partner_id")
        if others:
            super(ResPartner, others).write(dict(vals, mobile=typed))
        return super(ResPartner, self - others).write(vals) if vals else True

    def _prm_check_number_manager(self):
        """Head office (or the superuser) manages other users' code numbers
        and cooling-offs; not during the acting account's own cooling-off
        (an account just taken over changes nobody's second factor and ends
        no cooling-off, its own included). Raises AccessError / UserError."""
        user = self.env.user
        if not (self.env.uid == SUPERUSER_ID or any(
                user.has_group(group) for group in NUMBER_MANAGER_GROUPS)):
            raise AccessError(_(
                "Only head office may change the mobile number that receives "
                "sign-in codes."))
        self.env["prm.2fa.service"]._prm_check_cooling_off(
            "second factors of other users")

    def _prm_check_second_factor_number(self):
        """Check strictly and store in E.164 the numbers of code users."""
        for user in self._prm_code_users():
            partner = user.partner_id
            number = self._prm_normalised_mobile(
                partner.mobile, partner.country_id.id, partner.parent_id.id)
            if number != partner.mobile:
                # sudo: only the format of the number just checked changes.
                partner.sudo().with_context(prm_2fa_number_confirmed=True).write(
                    {"mobile": number})

    def _prm_inform_mobile_change(self, user, subject, text):
        """Tell the user by e-mail that the number receiving codes changes.

        The old number may be lost or stolen, so the notice goes to the
        e-mail address; the audit keeps who changed it.
        """
        partner = user.partner_id
        if not partner.email:
            return
        # sudo: the notice is sent on behalf of the system to the user's own
        # address.
        self.env["mail.mail"].sudo().create({
            "subject": subject, "email_to": partner.email,
            "body_html": "<p>%s</p>" % text, "auto_delete": True,
        })

    @api.model
    def _prm_country_code(self, country_id, parent_id):
        """Country of the number: the partner's, its company's, the user company's."""
        Country = self.env["res.country"]
        country = Country.browse(country_id) if country_id else Country
        if not country and parent_id:
            country = self.browse(parent_id).country_id
        if not country:
            country = self.env.user.company_id.country_id
        return country.code or DEFAULT_COUNTRY

    @api.model
    def _prm_country_code_of(self, partner):
        return self._prm_country_code(partner.country_id.id, partner.parent_id.id)

    @api.model
    def _prm_normalised_mobile(self, number, country_id=None, parent_id=None):
        try:
            return phone.normalize_mobile(
                number, self._prm_country_code(country_id, parent_id))
        except TwoFactorError as error:
            raise as_validation_error(error)

    @api.model
    def _prm_masked(self, number):
        return mask_phone(number) if number else _("(none)")
