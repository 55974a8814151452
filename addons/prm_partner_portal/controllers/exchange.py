"""Dealer exchange in the portal: channel list, history, posting, polling.

Only managing directors get here, and only into exchange channels their own
contact is a member of: any other channel id answers 404, so the portal never
reveals that a channel exists. Every query runs as the logged-in user.
"""
import json

from odoo import _
from odoo.exceptions import AccessError, UserError
from odoo.http import request, route

from ..lib import chat_policy
from .portal import PrmCustomerPortal, prm_access_denied

PAGE_SIZE = 30
POLL_LIMIT = 50


def as_int(value, default=0):
    """A message id from the request; ``default`` for anything that is not
    a number of PostgreSQL's ``integer`` (a bigger one was a server error)."""
    try:
        number = max(int(value or default), 0)
    except (TypeError, ValueError):
        return default
    return number if number < 2 ** 31 else default


def json_response(payload, status=200):
    response = request.make_response(json.dumps(payload), headers=[
        ("Content-Type", "application/json; charset=utf-8"),
        ("Cache-Control", "no-store")])
    response.status_code = status
    return response


class PrmExchangePortal(PrmCustomerPortal):

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        if values.get("prm_is_director"):
            channels = request.env["mail.channel"]._prm_portal_channels()
            values["prm_exchange_unread"] = sum(
                channels._prm_unread_counts().values())
        return values

    @staticmethod
    def _exchange_denied_message():
        return _("The dealer exchange is only available to the managing "
                 "director of a partner company.")

    @staticmethod
    def _exchange_channel(channel_id):
        """The exchange channel if the user's contact is a member, else empty."""
        return request.env["mail.channel"]._prm_portal_channels().filtered(
            lambda channel: channel.id == channel_id)

    @route(["/my/exchange"], type="http", auth="user", website=True)
    def portal_my_exchange(self, **kw):
        if not request.env.user._prm_is_director():
            return prm_access_denied(self._exchange_denied_message())
        channels = request.env["mail.channel"]._prm_portal_channels()
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "prm_exchange",
            "channels": channels,
            "unread": channels._prm_unread_counts(),
        })
        return request.render("prm_partner_portal.portal_my_exchange", values)

    @route(["/my/exchange/<int:channel_id>"], type="http", auth="user",
           website=True)
    def portal_my_exchange_channel(self, channel_id, before=None, **kw):
        if not request.env.user._prm_is_director():
            return prm_access_denied(self._exchange_denied_message())
        channel = self._exchange_channel(channel_id)
        if not channel:
            return request.not_found()
        return self._render_channel(channel, before=as_int(before))

    def _render_channel(self, channel, before=0, error=None, text="", status=200):
        Message = request.env["mail.message"]
        domain = channel._prm_message_domain()
        if before:
            domain.append(("id", "<", before))
        page = Message.search(domain, order="id desc", limit=PAGE_SIZE + 1)
        has_older = len(page) > PAGE_SIZE
        page = page[:PAGE_SIZE]
        if page and not before:
            channel._prm_mark_seen(page[0].id)  # reading the newest page
        newest = Message.search(channel._prm_message_domain(), order="id desc",
                                limit=1)
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "prm_exchange_channel",
            "channel": channel,
            "messages": channel._prm_message_values(page),
            "older_id": page[-1].id if has_older else False,
            "before": before,
            "last_id": newest.id if newest else 0,
            "muted": channel._prm_membership().prm_muted,
            "error": error,
            "text": text,
            "max_length": chat_policy.MAX_LENGTH,
            "max_attachment_mb": chat_policy.MAX_ATTACHMENT_BYTES // 1048576,
            "attachment_types": chat_policy.ALLOWED_EXTENSIONS_LABEL,
            "attachment_accept": ",".join(
                "." + ext for ext in sorted(chat_policy.ATTACHMENT_TYPES)),
        })
        return request.render(
            "prm_partner_portal.portal_my_exchange_channel", values, status=status)

    @route(["/my/exchange/<int:channel_id>/post"], type="http", auth="user",
           website=True, methods=["POST"])
    def portal_my_exchange_post(self, channel_id, text="", attachment=None, **kw):
        if not request.env.user._prm_is_director():
            return prm_access_denied(self._exchange_denied_message())
        channel = self._exchange_channel(channel_id)
        if not channel:
            return request.not_found()
        filename = content = None
        if attachment is not None and getattr(attachment, "filename", None):
            filename, content = attachment.filename, attachment.read()
        try:
            with request.env.cr.savepoint():
                channel._prm_portal_post(text, filename=filename, content=content)
        except (UserError, AccessError) as error:
            return self._render_channel(channel, error=error.name, text=text,
                                        status=400)
        return request.redirect("/my/exchange/%d#o_prm_exchange_form" % channel.id,
                                code=303)

    @route(["/my/exchange/<int:channel_id>/messages"], type="http", auth="user",
           methods=["GET"])
    def portal_my_exchange_messages(self, channel_id, after=0, seen=None, **kw):
        """New messages since ``after`` as rendered HTML (polled by exchange.js)."""
        if not request.env.user._prm_is_director():
            return json_response({"error": self._exchange_denied_message()}, 403)
        channel = self._exchange_channel(channel_id)
        if not channel:
            return json_response({"error": "not found"}, 404)
        after = as_int(after)
        messages = request.env["mail.message"].search(
            channel._prm_message_domain() + [("id", ">", after)],
            order="id asc", limit=POLL_LIMIT)
        if messages and seen == "1":
            channel._prm_mark_seen(messages[-1].id)
        View = request.env["ir.ui.view"]
        rendered = []
        for message in channel._prm_message_values(messages):
            html = View.render_template(
                "prm_partner_portal.exchange_message", {"message": message})
            rendered.append({
                "id": message["id"],
                "html": html.decode() if isinstance(html, bytes) else html,
            })
        return json_response({
            "messages": rendered,
            "last_id": messages[-1].id if messages else after,
        })
