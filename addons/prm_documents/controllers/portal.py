"""Portal pages of documents, news and notification settings.

Every item is looked up as the signed-in user (``_addressed``): the record
rules apply the audience rule, so an item that does not address the user's
dealer today is a 404 like an id that does not exist.
"""
import base64

import werkzeug.exceptions

from odoo import _
from odoo.http import content_disposition, request, route

from odoo.addons.prm_partner_portal.controllers.portal import (
    PrmCustomerPortal, record_id)

from ..models.prm_document import CATEGORIES
from ..models.res_users import KINDS, MODES


def _addressed(model, item_id):
    """The item ``item_id`` of ``model`` if the user may read it, else 404.

    The one access check of this controller: a search as the user (record
    rules: audience and validity), never a browse with sudo.
    """
    item = request.env[model].search([("id", "=", record_id(item_id))])
    if not item:
        raise werkzeug.exceptions.NotFound()
    return item


class PrmDocumentsPortal(PrmCustomerPortal):

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        if request.env.user.share:
            # as the user: the addressed items only
            for key, model in (("prm_documents_unread", "prm.document"),
                               ("prm_news_unread", "prm.news")):
                values[key] = len(request.env[model].search([]).filtered(
                    "prm_is_unread"))
        return values

    @route("/my/documents", type="http", auth="user", website=True)
    def portal_my_documents(self, **kw):
        documents = request.env["prm.document"].search([])  # as the user
        labels = dict(request.env["prm.document"].fields_get(
            ["category"])["category"]["selection"])
        groups = []
        for code, _label in CATEGORIES:
            members = documents.filtered(lambda doc, code=code: doc.category == code)
            if members:
                groups.append((code, labels[code], members))
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "prm_documents", "groups": groups})
        return request.render("prm_documents.portal_my_documents", values)

    @route("/my/documents/<int:document_id>/download", type="http", auth="user")
    def portal_document_download(self, document_id, **kw):
        document = _addressed("prm.document", document_id)
        # reading the file as the user records the download (prm.document.read)
        content = base64.b64decode(document.file or b"")
        filename = document.file_name or document.name
        return request.make_response(content, headers=[
            ("Content-Type", "application/octet-stream"),
            ("Content-Length", len(content)),
            ("Content-Disposition", content_disposition(filename)),
        ])

    @route("/my/news", type="http", auth="user", website=True)
    def portal_my_news(self, **kw):
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "prm_news",
                       "news_items": request.env["prm.news"].search([])})
        return request.render("prm_documents.portal_my_news", values)

    @route("/my/news/<int:news_id>", type="http", auth="user", website=True)
    def portal_news_detail(self, news_id, **kw):
        news = _addressed("prm.news", news_id)
        if news.prm_is_unread:
            news._prm_mark_read()
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "prm_news_detail", "news": news})
        return request.render("prm_documents.portal_news_detail", values)

    @route("/my/notifications", type="http", auth="user", website=True,
           methods=["GET", "POST"])
    def portal_my_notifications(self, **post):
        user = request.env.user
        if not user.share:
            raise werkzeug.exceptions.NotFound()
        saved, error = False, None
        offered = user._prm_notify_kinds()
        if request.httprequest.method == "POST":
            allowed = {mode for mode, _label in MODES}
            # only the kinds offered to this user (a field of another
            # class's kind in the post is ignored, as the form has none)
            changes = {field: post.get(field) for field in offered
                       if field in post}
            if any(value not in allowed for value in changes.values()):
                error = _("Please choose one of the offered options.")
            else:
                # sudo: portal users may not write their user record; only
                # their own notification fields, validated above, are set.
                user.sudo().write(changes)
                saved = True
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "prm_notifications", "saved": saved, "error": error,
            "kinds": self._kinds(offered), "modes": self._modes(),
            "current": {field: user._prm_mode(field) for field in offered},
        })
        return request.render("prm_documents.portal_my_notifications", values)

    @staticmethod
    def _kinds(offered):
        """[(field, label)] of the notification kinds ``offered`` (field
        names), in the user's language."""
        described = request.env["res.users"].fields_get(offered)
        return [(field, described[field]["string"]) for field in offered]

    @staticmethod
    def _modes():
        """[(mode, label)] of the choices, in the user's language."""
        field = KINDS[0][0]
        return request.env["res.users"].fields_get([field])[field]["selection"]
