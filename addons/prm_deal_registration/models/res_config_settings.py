from odoo import _, fields, models
from odoo.exceptions import UserError


class ResConfigSettings(models.TransientModel):
    """Head office's deal registration rules (ir.config_parameter)."""

    _inherit = "res.config.settings"

    prm_deal_protection_days = fields.Integer(
        string="Protection (days)", default=90,
        config_parameter="prm_deal_registration.protection_days",
        help="How long an approved registration protects the dealer.")
    prm_deal_deadline_hours = fields.Integer(
        string="Approval deadline (business hours)", default=16,
        config_parameter="prm_deal_registration.deadline_hours",
        help="Business hours of the dealer's working-time calendar until a "
             "registration is escalated to head office.")
    prm_deal_window_days = fields.Integer(
        string="Conflict window (days)", default=365,
        config_parameter="prm_deal_registration.window_days",
        help="Leads and registrations older than this do not conflict.")
    prm_deal_similarity = fields.Integer(
        string="Name similarity (%)", default=85,
        config_parameter="prm_deal_registration.similarity_percent",
        help="From which similarity of name and street two customers at the "
             "same place count as the same.")

    def set_values(self):
        """Refuse rules below their minimum (Odoo would store 0 as "unset"
        and silently fall back to the default)."""
        for name, minimum, maximum in (
                ("prm_deal_protection_days", 1, 3650),
                ("prm_deal_deadline_hours", 1, 2000),
                ("prm_deal_window_days", 1, 3650),
                ("prm_deal_similarity", 50, 100)):
            value = self[name]
            if not minimum <= value <= maximum:
                raise UserError(_(
                    "%(field)s must lie between %(min)s and %(max)s.") % {
                        "field": self._fields[name].get_description(
                            self.env)["string"],
                        "min": minimum, "max": maximum})
        return super().set_values()
