from odoo import api, models

from ..glue import as_validation_error
from ..lib import phone
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
        if vals.get("mobile"):
            for partner in self:
                normalised = partner._prm_normalised_mobile(
                    vals["mobile"], vals.get("country_id", partner.country_id.id),
                    vals.get("parent_id", partner.parent_id.id))
                super(ResPartner, partner).write(dict(vals, mobile=normalised))
            return True
        return super().write(vals)

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
