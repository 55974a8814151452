"""Core mail and bus routes, closed where they would reach around the exchange.

Odoo's ``/mail/chat_post`` and ``/mail/chat_history`` (made for the website
live chat, ``auth="none"``, run as superuser) accept any channel by its
uuid. For dealer exchange channels they answer 404 as for an unknown uuid;
the models apply the exchange's rules on every other path (see
``acting_user`` in ``models/exchange_common.py``, ``mail.message.create`` in
``models/mail_message_exchange.py``, ``mail.channel.channel_fetch_message`` in
``models/mail_channel.py``).

Core's record links (``/mail/view``) sent a visitor who is not signed in to
the record's form when the record exists and to the inbox when it does
not (an oracle over the ids of every model); such a visitor now always gets
the login page that returns to the same link.
"""
import werkzeug.exceptions
import werkzeug.urls
import werkzeug.utils

from odoo.addons.mail.controllers.bus import MailChatController
from odoo.addons.mail.controllers.main import MailController
from odoo.addons.portal.controllers.mail import PortalChatter
from odoo.exceptions import AccessError, MissingError
from odoo.http import request, route


def _is_exchange_uuid(uuid):
    if not isinstance(uuid, str) or not uuid:
        return False
    # sudo: the lookup only decides whether the route stays closed; the
    # channel itself is not returned to the caller
    return bool(request.env["mail.channel"].sudo().search_count([
        ("uuid", "=", uuid), ("prm_is_exchange", "=", True)]))


class PrmMailChatController(MailChatController):

    @route()
    def mail_chat_post(self, uuid, message_content, **kwargs):
        if _is_exchange_uuid(uuid):
            raise werkzeug.exceptions.NotFound()
        return super().mail_chat_post(uuid, message_content, **kwargs)

    @route()
    def mail_chat_history(self, uuid, last_id=False, limit=20):
        if _is_exchange_uuid(uuid):
            raise werkzeug.exceptions.NotFound()
        return super().mail_chat_history(uuid, last_id=last_id, limit=limit)

    @route()
    def send(self, channel, message):
        """Core lets anyone push any message to any public bus channel.

        Nothing in the installed modules sends from the browser; only
        employees keep it.
        """
        if not request.session.uid or \
                not request.env.user.has_group("base.group_user"):
            raise werkzeug.exceptions.NotFound()
        return super().send(channel, message)


def _login_and_return():
    """Redirect to the login page that brings the visitor back here."""
    return werkzeug.utils.redirect("/web/login?%s" % werkzeug.urls.url_encode(
        {"redirect": request.httprequest.full_path}))


class PrmMailController(MailController):

    @classmethod
    def _redirect_to_messaging(cls):
        if not request.session.uid:
            return _login_and_return()
        return super()._redirect_to_messaging()

    @classmethod
    def _redirect_to_record(cls, model, res_id, access_token=None):
        """Signed out, a link to a record's backend form is answered like a
        link to a missing record (login, then core's check as the user);
        a public page (``act_url`` with a valid access token) stays."""
        response = super()._redirect_to_record(model, res_id,
                                               access_token=access_token)
        location = werkzeug.urls.url_parse(response.headers.get("Location", ""))
        if not request.session.uid and location.path in ("/web", "/web/"):
            return _login_and_return()
        return response

    @route()
    def receive(self, req):
        """Closed: core lets anyone post an e-mail into any database as
        superuser (meant for a local SMTP bridge, which the product does not
        use; incoming mail comes through fetchmail)."""
        raise werkzeug.exceptions.NotFound()


def _chatter_target(res_model, res_id):
    """404 unless ``res_model`` has a portal chatter; Discuss channels have
    none (the exchange is read and written under its own rules only)."""
    if res_model == "mail.channel" or res_model not in request.env or \
            "website_message_ids" not in request.env[res_model]._fields:
        raise werkzeug.exceptions.NotFound()
    try:
        return int(res_id)
    except (TypeError, ValueError):
        raise werkzeug.exceptions.NotFound()


class PrmPortalChatter(PortalChatter):
    """Core's portal chatter takes any model name from the request."""

    @route()
    def portal_chatter_post(self, res_model, res_id, message, **kw):
        res_id = _chatter_target(res_model, res_id)
        try:
            return super().portal_chatter_post(res_model, res_id, message, **kw)
        except (AccessError, MissingError):
            # core lets these end as a server error (500)
            raise werkzeug.exceptions.Forbidden()

    @route()
    def portal_chatter_init(self, res_model, res_id, domain=False, limit=False,
                            **kwargs):
        res_id = _chatter_target(res_model, res_id)
        return super().portal_chatter_init(res_model, res_id, domain=domain,
                                           limit=limit, **kwargs)

    @route()
    def portal_message_fetch(self, res_model, res_id, domain=False, limit=10,
                             offset=0, **kw):
        res_id = _chatter_target(res_model, res_id)
        return super().portal_message_fetch(res_model, res_id, domain=domain,
                                            limit=limit, offset=offset, **kw)
