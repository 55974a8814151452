from odoo import api, models, _

from ..glue import as_validation_error
from ..lib import phone
from ..lib.phone import mask_phone
from ..lib.errors import TwoFactorError

DEFAULT_COUNTRY = "DE"


class ResPartner(models.Model):
    """Mobile numbers are validated and stored in E.164 (they receive codes)."""

    _inherit = "res.partner"

    @api.model
    def create(self, vals):
        if vals.get("mobile"):
            vals = dict(vals, mobile=self._prm_normalised_mobile(
                vals["mobile"], vals.get("country_id"), vals.get("parent_id")))
        return super().create(vals)

    def write(self, vals):
        if "mobile" not in vals:
            return super().write(vals)
        before = {partner.id: partner.mobile for partner in self}
        if vals.get("mobile"):
            for partner in self:
                normalised = partner._prm_normalised_mobile(
                    vals["mobile"], vals.get("country_id", partner.country_id.id),
                    vals.get("parent_id", partner.parent_id.id))
                super(ResPartner, partner).write(dict(vals, mobile=normalised))
        else:
            super().write(vals)
        self._prm_inform_mobile_change(before)
        return True

    def _prm_inform_mobile_change(self, before):
        """Tell the user by e-mail that the number receiving codes changed.

        The old number may be lost or stolen, so the notice goes to the
        e-mail address; the audit keeps who changed it.
        """
        # sudo: users are linked to partners the writer may not read as res.users.
        users = self.env["res.users"].sudo().search([("partner_id", "in", self.ids)])
        for user in users:
            partner = user.partner_id
            if before.get(partner.id) == partner.mobile:
                continue
            self.env["prm.2fa.event"]._record(
                user.id, "mobile_changed", author_id=self.env.uid,
                detail=mask_phone(partner.mobile) if partner.mobile else "-")
            if partner.email:
                # In the recipient's language, not the editor's.
                subject, body = partner.with_context(
                    lang=user.lang)._prm_mobile_notice_texts()
                # sudo: the notice is sent on behalf of the system to the
                # user's own address.
                self.env["mail.mail"].sudo().create({
                    "subject": subject,
                    "email_to": partner.email, "body_html": "<p>%s</p>" % body,
                    "auto_delete": True,
                })

    def _prm_mobile_notice_texts(self):
        """``(subject, body)`` of the mobile-changed notice, in context language."""
        self.ensure_one()
        body = _("The mobile number that receives your sign-in codes was "
                 "changed to %s. If you did not expect this, please "
                 "contact head office immediately.") % (
            mask_phone(self.mobile) if self.mobile else _("(none)"))
        return _("Your sign-in phone number was changed"), body

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
    def _prm_normalised_mobile(self, number, country_id=None, parent_id=None):
        try:
            return phone.normalize_mobile(
                number, self._prm_country_code(country_id, parent_id))
        except TwoFactorError as error:
            raise as_validation_error(error)
