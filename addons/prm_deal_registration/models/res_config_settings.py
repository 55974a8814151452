from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from .prm_deal_registration import PARAMS, rule

#: Settings field -> key of PARAMS, with the allowed range.
FIELDS = {
    "prm_deal_protection_days": ("protection_days", 1, 3650),
    "prm_deal_deadline_hours": ("deadline_hours", 1, 2000),
    "prm_deal_window_days": ("window_days", 1, 3650),
    "prm_deal_similarity": ("threshold", 50, 100),
}


class ResConfigSettings(models.TransientModel):
    """Head office's deal registration rules (ir.config_parameter; Odoo 11
    has no ``config_parameter`` field attribute)."""

    _inherit = "res.config.settings"

    prm_deal_protection_days = fields.Integer(
        string="Protection (days)",
        help="How long an approved registration protects the dealer.")
    prm_deal_deadline_hours = fields.Integer(
        string="Approval deadline (business hours)",
        help="Business hours of the dealer's working-time calendar until a "
             "registration is escalated to head office.")
    prm_deal_window_days = fields.Integer(
        string="Conflict window (days)",
        help="Leads and registrations older than this do not conflict.")
    prm_deal_similarity = fields.Integer(
        string="Name similarity (%)",
        help="From which similarity of name and street two customers at the "
             "same place count as the same.")

    @api.model
    def get_values(self):
        """The rules (plain numbers, no secret) as field values."""
        res = super().get_values()
        res.update({name: rule(self.env, key)
                    for name, (key, _low, _high) in FIELDS.items()})
        return res

    def set_values(self):
        """Store the rules; administrators only (a public method: RPC could
        call it without ``execute``'s check). Values outside their range
        are refused (Odoo would store 0 as "unset")."""
        if not (self.env.user._is_superuser()
                or self.env.user.has_group("base.group_system")):
            raise AccessError(_("Only administrators can change the settings"))
        for name, (_key, minimum, maximum) in FIELDS.items():
            if not minimum <= self[name] <= maximum:
                raise UserError(_(
                    "%(field)s must lie between %(min)s and %(max)s.") % {
                        "field": self._fields[name].get_description(
                            self.env)["string"],
                        "min": minimum, "max": maximum})
        super().set_values()
        # sudo: administrators only (checked above); plain numbers
        Param = self.env["ir.config_parameter"].sudo()
        for name, (key, _low, _high) in FIELDS.items():
            Param.set_param(PARAMS[key][0], str(self[name]))
