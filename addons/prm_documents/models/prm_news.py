from odoo import fields, models

from .prm_document import HEAD_OFFICE


class PrmNews(models.Model):
    """An announcement of head office to dealers (HTML, sanitized)."""

    _name = "prm.news"
    _inherit = ["prm.audience.mixin"]
    _description = "Dealer news"
    _order = "publish_date desc, id desc"

    name = fields.Char(string="Title", required=True, translate=True)
    summary = fields.Text(translate=True)
    body = fields.Html(sanitize=True, sanitize_style=False, strip_style=True,
                       translate=True)
    read_ids = fields.One2many("prm.news.read", "news_id", string="Read by",
                               groups=HEAD_OFFICE)

    def _prm_marker_model(self):
        return "prm.news.read", "news_id"

    def _prm_portal_path(self):
        return "/my/news/%s" % self.id


class PrmNewsRead(models.Model):
    """A user opened a news item (its unread marker is gone)."""

    _name = "prm.news.read"
    _description = "News read"
    _order = "create_date desc, id desc"

    news_id = fields.Many2one("prm.news", required=True, index=True,
                              ondelete="cascade")
    user_id = fields.Many2one("res.users", required=True, index=True,
                              ondelete="cascade")
    dealer_id = fields.Many2one("res.partner", string="Dealer", index=True,
                                ondelete="set null")
