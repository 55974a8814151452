"""Dealer exchange: membership rows (muting by head office, read markers)."""
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError

# What a portal user may change on their own membership row (read markers).
PORTAL_WRITABLE_MEMBERSHIP_FIELDS = frozenset(
    ["seen_message_id", "fold_state", "is_minimized", "is_pinned"])


class MailChannelPartner(models.Model):
    _inherit = "mail.channel.partner"

    prm_muted = fields.Boolean(
        string="Muted", help="Muted members read the dealer exchange but "
                             "cannot post there (set by head office).")

    @api.constrains("channel_id", "partner_id")
    def _check_prm_exchange_member(self):
        """Rows created or changed directly (the channel form's members tab,
        Discuss's invite, RPC) follow the channel's rule
        (``mail.channel._prm_check_new_members``)."""
        # sudo: the rule reads channels and members the user may not read
        for row in self.sudo():
            row.channel_id._prm_check_new_members(
                {row.channel_id.id: row.partner_id})

    @api.multi
    def write(self, vals):
        if self.env.uid != SUPERUSER_ID:
            user = self.env.user
            if "prm_muted" in vals and not user._prm_is_head_office():
                raise AccessError(_("Only head office can mute members."))
            if user.share and set(vals) - PORTAL_WRITABLE_MEMBERSHIP_FIELDS:
                raise AccessError(_("You cannot change channel memberships."))
        return super().write(vals)
