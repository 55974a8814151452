from odoo import models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    def action_prm_forward(self):
        """Forward as before, then tell the dealer's portal users (as each
        chose: at once, in the digest, or not)."""
        result = super().action_prm_forward()
        template = self.env.ref("prm_documents.mail_template_lead_forwarded")
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        directors = {}   # dealer id: users, looked up once per batch
        for lead in self:
            dealer = lead.partner_assigned_id.commercial_partner_id
            if dealer.id not in directors:
                # sudo: the portal users of the dealer the lead was
                # forwarded to who receive lead mails (directors:
                # bookkeepers read no leads; KIND_CLASSES)
                directors[dealer.id] = self.env["res.users"].sudo().search([
                    ("share", "=", True),
                    ("commercial_partner_id", "=", dealer.id)]
                ).filtered(lambda user: "prm_notify_leads"
                           in user._prm_notify_kinds())
            for user in directors[dealer.id]:
                user._prm_deliver(
                    "prm_notify_leads", template, user.id,
                    prm_lead_name=lead.name,
                    prm_link="%s/my/leads/%s" % (base_url, lead.id))
        return result
