"""Thin ORM hook of ``res.partner.category`` for ``lib.staleness``: dealers
tagged or untagged from the tag's side (its ``partner_ids``, the other side
of the many2many, which runs no ``res.partner.write``) move between tag-rule
groups like a dealer whose tags changed (edge ``dealer_attributes``)."""
from odoo import api, models


class ResPartnerCategory(models.Model):
    _inherit = "res.partner.category"

    @api.model
    def create(self, vals):
        tag = super().create(vals)
        if vals.get("partner_ids"):
            tag._prm_benchmark_move(tag.partner_ids)
        return tag

    def write(self, vals):
        before = self.mapped("partner_ids") if "partner_ids" in vals \
            else self.env["res.partner"]
        result = super().write(vals)
        if "partner_ids" in vals:
            self._prm_benchmark_move(before | self.mapped("partner_ids"))
        return result

    def unlink(self):
        partners = self.mapped("partner_ids")
        result = super().unlink()
        self._prm_benchmark_move(partners)
        return result

    def _prm_benchmark_move(self, partners):
        Partner = self.env["res.partner"]
        Partner._prm_benchmark_memberships(
            partners.exists()._prm_benchmark_dealers(), "dealer_attributes")
