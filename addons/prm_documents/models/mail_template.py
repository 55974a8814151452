"""PRM mails of other addons follow the recipient's notification setting."""
from odoo import api, models

from .res_users import KIND_TEMPLATES


class MailTemplate(models.Model):
    _inherit = "mail.template"

    @api.multi
    def send_mail(self, res_id, force_send=False, raise_exception=False,
                  email_values=None):
        """A PRM mail to a portal user (``KIND_TEMPLATES``) goes out now,
        into the digest or nowhere, as the user chose; others unchanged."""
        kind = None if self.env.context.get("prm_delivering") else \
            self._prm_kind()
        if kind and self.model == "res.users":
            # sudo: only the recipient's own setting is read.
            user = self.env["res.users"].sudo().browse(res_id).exists()
            if user and user.share and user._prm_mode(kind) != "immediate":
                return user._prm_deliver(kind, self, res_id)
        return super().send_mail(res_id, force_send=force_send,
                                 raise_exception=raise_exception,
                                 email_values=email_values)

    def _prm_kind(self):
        """The notification kind of this template, or None."""
        for xmlid, kind in KIND_TEMPLATES.items():
            template = self.env.ref(xmlid, raise_if_not_found=False)
            if template and template.id == self.id:
                return kind
        return None
