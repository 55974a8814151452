"""Chatter scope (``chatter_scope_common``): messages stamped with the dealer
at posting; no tracking values for portal readers.
"""
from odoo import SUPERUSER_ID, api, fields, models
from odoo.http import request

from .chatter_scope_common import DEALER_THREADS, SHARE_RECIPIENTS


class MailMessage(models.Model):
    _inherit = "mail.message"

    prm_dealer_id = fields.Many2one(
        "res.partner", string="Dealer at posting", index=True, readonly=True,
        ondelete="set null",
        help="The dealer the lead was forwarded to when the message was "
             "posted; only that dealer's portal users read the message.")

    @api.model
    def _prm_dealer_at_posting(self, model, res_id):
        """Id of the dealer a ``model`` record is forwarded to now, or False."""
        if model not in DEALER_THREADS or not res_id:
            return False
        # sudo: only the forwarding state of the record the message belongs
        # to is read, to stamp the message; nothing is returned to the caller
        lead = self.env[model].sudo().browse(res_id).exists()
        if not lead or not lead.prm_forwarded_date:
            return False
        return lead.partner_assigned_id.commercial_partner_id.id or False

    @api.model
    def create(self, values):
        values = dict(values)
        # always computed, never taken from the caller (RPC could pass any)
        values["prm_dealer_id"] = self._prm_dealer_at_posting(
            values.get("model", self.env.context.get("default_model")),
            values.get("res_id", self.env.context.get("default_res_id")))
        return super().create(values)

    @api.multi
    def write(self, vals):
        if "prm_dealer_id" in vals and self.env.uid != SUPERUSER_ID:
            vals = dict(vals)
            del vals["prm_dealer_id"]
        return super().write(vals)

    @api.model
    def _prm_for_share_users(self):
        """True when formatting for a portal/public reader.

        Also under ``sudo()`` in a portal user's request (core's portal
        chatter formats messages as superuser when a token is given).
        """
        if self.env.context.get(SHARE_RECIPIENTS):
            return True
        if self.env.uid != SUPERUSER_ID and self.env.user.share:
            return True
        try:
            requester = request and request.env.user
        except RuntimeError:  # no request bound (cron, shell)
            requester = None
        return bool(requester and requester.share)

    @api.model
    def _message_read_dict_postprocess(self, messages, message_tree):
        """No tracking values and no e-mail delivery data for portal users.

        Core fills both as superuser for every reader (``message_format``,
        ``message_fetch``, ``portal_message_format``, bus notifications).
        """
        result = super()._message_read_dict_postprocess(messages, message_tree)
        if self._prm_for_share_users():
            for message in messages:
                message["tracking_value_ids"] = []
                message["customer_email_data"] = []
                message["customer_email_status"] = "ready"
        return result
