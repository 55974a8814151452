"""Chatter scope (``chatter_scope_common``): follower rows."""
from odoo import SUPERUSER_ID, api, models

from .chatter_scope_common import SUBSCRIBING


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    @api.multi
    def write(self, vals):
        """Core's "own rows only" write rule, also for subtype-only writes.

        ``mail.followers`` keeps no write date, so Odoo 11 skips the record
        rules when only ``subtype_ids`` change: any user could retune any
        partner's notifications by RPC. Core's ``message_subscribe`` (which
        checks the document first) keeps changing other partners' rows.
        """
        if self.env.uid != SUPERUSER_ID and \
                self.env.context.get("prm_subscribing") is not SUBSCRIBING:
            self.check_access_rule("write")
        return super().write(vals)
