"""Files of documents and news: the audience rule also on ``ir.attachment``.

Core already lets a user read an attachment of a record only when the user
reads that record (``ir.attachment.check``), which the audience record rule
of ``prm.document``/``prm.news`` decides. Core skips that check for
attachments flagged ``public`` and for searches; the global rule
``rule_attachment_portal_audience`` (search field below) closes those too:
for portal and public users an attachment of a document or news item is
readable only while the item addresses the user's dealer. Like the
documents' field, it answers only about a dealer the caller may know about
(``prm.audience.mixin._prm_audience_dealer``).
"""
from odoo import fields, models

#: Models whose attachments follow the audience rule.
AUDIENCE_MODELS = ("prm.document", "prm.news")


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    prm_audience_dealer_id = fields.Many2one(
        "res.partner", string="Addressed dealer",
        compute="_compute_prm_audience_dealer",
        search="_search_prm_audience_dealer",
        help="Search only: attachments this dealer may read today.")

    def _compute_datas(self):
        """Core's file content; a portal user getting the content of a
        document's file (``/web/content/<id>``, ``/web/image/<id>``, RPC
        read of ``datas``; not a ``bin_size`` listing) is a download of
        that document (the record's own field: ``prm.document.read``)."""
        super()._compute_datas()
        if self.env["prm.document"]._prm_is_download():
            # sudo: which record the attachments the user reads belong to;
            # the download is recorded for the user
            files = self.sudo().filtered(
                lambda attachment: attachment.res_model == "prm.document"
                and attachment.res_field == "file")
            if files:
                self.env["prm.document"].browse(
                    files.mapped("res_id"))._prm_mark_read()

    def _compute_prm_audience_dealer(self):
        for attachment in self:
            attachment.prm_audience_dealer_id = False

    def _search_prm_audience_dealer(self, operator, value):
        dealer = self.env["prm.document"]._prm_audience_dealer(
            value if operator == "=" else None)
        domain = ["|", ("res_model", "=", False),
                  ("res_model", "not in", AUDIENCE_MODELS)]
        for model in AUDIENCE_MODELS:
            ids = self.env[model]._prm_addressed_ids(dealer) if dealer else []
            domain = ["|"] + domain + [
                "&", ("res_model", "=", model), ("res_id", "in", ids or [0])]
        return domain
