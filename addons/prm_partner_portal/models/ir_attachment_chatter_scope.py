"""Chatter scope (``chatter_scope_common``): attachments stamped with the
dealer at upload.
"""
from odoo import api, fields, models

from . import read_group_access


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    prm_dealer_id = fields.Many2one(
        "res.partner", string="Dealer at upload", index=True, readonly=True,
        ondelete="set null",
        help="The dealer a lead was forwarded to when the file was attached; "
             "only that dealer's portal users read it.")

    @api.model
    def create(self, values):
        values = dict(values)
        # always computed, never taken from the caller
        values["prm_dealer_id"] = self.env["mail.message"]._prm_dealer_at_posting(
            values.get("res_model", self.env.context.get("default_res_model")),
            values.get("res_id", self.env.context.get("default_res_id")))
        return super().create(values)

    @api.multi
    def write(self, vals):
        vals = dict(vals)
        vals.pop("prm_dealer_id", None)
        if {"res_model", "res_id"} & set(vals):
            for attachment in self:
                dealer = self.env["mail.message"]._prm_dealer_at_posting(
                    vals.get("res_model", attachment.res_model),
                    vals.get("res_id", attachment.res_id))
                # a plain SQL stamp: the attachment is being moved
                self.env.cr.execute(
                    "UPDATE ir_attachment SET prm_dealer_id = %s WHERE id = %s",
                    (dealer or None, attachment.id))
            self.invalidate_cache(["prm_dealer_id"])
        return super().write(vals)

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None,
                   orderby=False, lazy=True):
        """Groups of the records ``search`` gives the caller:
        core checks the attached records in ``_search`` (``read_group_access``)."""
        return super().read_group(
            read_group_access.search_domain(self, domain), fields, groupby,
            offset=offset, limit=limit, orderby=orderby, lazy=lazy)
