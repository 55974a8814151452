"""Chatter scope (``chatter_scope_common``): following a document."""
from odoo import api, models

from .chatter_scope_common import SUBSCRIBING


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.multi
    def message_subscribe(self, partner_ids=None, channel_ids=None,
                          subtype_ids=None, force=True):
        """Core checks the document, then retunes existing follower rows."""
        return super(MailThread, self.with_context(
            prm_subscribing=SUBSCRIBING)).message_subscribe(
                partner_ids=partner_ids, channel_ids=channel_ids,
                subtype_ids=subtype_ids, force=force)
