"""Chatter scope (``chatter_scope_common``): notifications to share partners."""
from odoo import api, models

from .chatter_scope_common import SHARE_RECIPIENTS


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _prm_split_share(self):
        """(internal recipients, share recipients flagged for formatting)."""
        share = self.filtered("partner_share")
        return self - share, share.with_context(**{SHARE_RECIPIENTS: True})

    @api.multi
    def _notify(self, message, force_send=False, send_after_commit=True,
                user_signature=True):
        """Notification e-mails to share partners carry no tracking values."""
        internal, share = self._prm_split_share()
        for recipients in (internal, share):
            if recipients:
                super(ResPartner, recipients)._notify(
                    message.with_env(recipients.env), force_send=force_send,
                    send_after_commit=send_after_commit,
                    user_signature=user_signature)
        return True

    @api.model
    def _notify_prepare_template_context(self, message):
        values = super()._notify_prepare_template_context(message)
        if self.env.context.get(SHARE_RECIPIENTS):
            values["tracking"] = []
        return values

    @api.multi
    def _notify_by_chat(self, message):
        """Inbox (bus) notifications to share users carry no tracking values."""
        internal, share = self._prm_split_share()
        for recipients in (internal, share):
            if recipients:
                super(ResPartner, recipients)._notify_by_chat(
                    message.with_env(recipients.env))
