from odoo import api, fields, models
from odoo.http import request

#: Who sees downloads and readers (dealers never see other dealers' rows).
HEAD_OFFICE = ("prm_partner_portal.group_prm_manager,"
               "prm_partner_portal.group_prm_marketing")

#: Categories of the library, in the order the portal lists them.
CATEGORIES = [
    ("price_list", "Price lists"),
    ("marketing", "Marketing material"),
    ("bulletin", "Technical bulletins"),
    ("other", "Other documents"),
]


class PrmDocument(models.Model):
    """A file head office publishes to dealers (stored as an attachment)."""

    _name = "prm.document"
    _inherit = ["prm.audience.mixin"]
    _description = "Dealer document"
    _order = "category, sequence, name, id"

    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    category = fields.Selection(CATEGORIES, required=True, default="other")
    sequence = fields.Integer(default=10)
    file = fields.Binary(attachment=True, required=True)
    file_name = fields.Char()
    download_ids = fields.One2many(
        "prm.document.download", "document_id", string="Downloads",
        groups=HEAD_OFFICE)
    download_count = fields.Integer(
        compute="_compute_download_count", groups=HEAD_OFFICE)

    def _prm_marker_model(self):
        return "prm.document.download", "document_id"

    @api.multi
    def read(self, fields=None, load="_classic_read"):
        """Core's read; a portal user reading the file is a download,
        whichever way it is read: ``/my/documents/<id>/download``,
        ``/web/content``, ``/web/image``, RPC (outside review 12: only the
        portal route counted). The attachment's own read counts too
        (``ir.attachment.read``)."""
        result = super().read(fields, load=load)
        if (not fields or "file" in fields) and self._prm_is_download():
            self._prm_mark_read()
        return result

    @api.model
    def _prm_is_download(self):
        """Whether the file content read now goes to a portal user: not a
        size (``bin_size``, listings) and not an HTTP ``HEAD`` request
        (headers only); a conditional GET answered "304 Not Modified" is
        counted (the user opened the document again)."""
        if not self.env.user.share or self.env.context.get("bin_size"):
            return False
        httprequest = getattr(request, "httprequest", None) if request else None
        return not (httprequest and httprequest.method == "HEAD")

    def _prm_portal_path(self):
        return "/my/documents#document-%s" % self.id

    @api.depends("download_ids")
    def _compute_download_count(self):
        groups = self.env["prm.document.download"].read_group(
            [("document_id", "in", self.ids)], ["document_id"], ["document_id"])
        counts = {group["document_id"][0]: group["document_id_count"]
                  for group in groups}
        for document in self:
            document.download_count = counts.get(document.id, 0)


class PrmDocumentDownload(models.Model):
    """Who downloaded which document when (head office's view)."""

    _name = "prm.document.download"
    _description = "Document download"
    _order = "create_date desc, id desc"

    document_id = fields.Many2one(
        "prm.document", required=True, index=True, ondelete="cascade")
    user_id = fields.Many2one("res.users", required=True, index=True,
                              ondelete="cascade")
    dealer_id = fields.Many2one("res.partner", string="Dealer", index=True,
                                ondelete="set null")
