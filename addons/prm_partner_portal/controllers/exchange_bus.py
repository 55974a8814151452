"""Dealer exchange live over Odoo's longpolling bus (``/longpolling/poll``).

The page ``/my/exchange/<id>`` long-polls with ``options = {"prm_exchange":
[<id>]}``. Who hears what is decided here, on the server, for every poll:

* the exchange bus channel ``(db, "prm.exchange", id)`` is a tuple, which
  no browser can name (core refuses non-string channels, and a string never
  equals a tuple's JSON); it is added only for ids of exchange channels the
  signed-in managing director reads (``mail.channel._prm_bus_subscriptions``);
* when the poll answers (up to 50 s later), its exchange notifications are
  checked again with the membership of that moment (removed meanwhile:
  nothing);
* dealers are not subscribed to core's Discuss bus channel of an exchange
  (core sends full messages there), and their polls get no presence of
  other partners (core answers ``bus_presence_partner_ids`` to anyone).
"""
import werkzeug.exceptions

import odoo
from odoo.addons.bus.models import bus as bus_model
from odoo.http import request, route

from ..lib import exchange_bus
from .mail_platform import PrmMailChatController


class PrmExchangeBus(PrmMailChatController):

    @route()
    def poll(self, channels, last, options=None):
        """404 (a clean JSON error the page falls back on, no server error
        in the log) where this process has no bus (a prefork worker reached
        without the proxy's ``/longpolling/`` route) and for a channel that
        is not a string (core raises a server error)."""
        if not bus_model.dispatch or not isinstance(channels, list) or \
                any(not isinstance(channel, str) for channel in channels):
            raise werkzeug.exceptions.NotFound()
        return super().poll(channels, last, options=options)

    def _poll(self, dbname, channels, last, options):
        options = dict(options or {})
        uid = request.session.uid
        user = request.env.user if uid else None
        wanted = request.env["mail.channel"]._prm_bus_subscriptions(
            options.pop("prm_exchange", None)) if uid else []
        if not (user and user.has_group("base.group_user")):
            options.pop("bus_presence_partner_ids", None)
        channels = list(channels) + [
            exchange_bus.bus_channel(dbname, channel_id) for channel_id in wanted]
        # prm_bus_poll: core's _poll below subscribes a dealer to no
        # exchange's Discuss bus channel (mail.channel.search)
        request.context = dict(request.context, prm_bus_poll=True)
        notifications = super()._poll(dbname, channels, last, options)
        if not wanted or isinstance(notifications, dict):
            return notifications  # nothing of the exchange; dict: peek mode
        return exchange_bus.deliverable(
            notifications, dbname, self._prm_still_readable(dbname, uid, wanted))

    @staticmethod
    def _prm_still_readable(dbname, uid, channel_ids):
        """The ids of ``channel_ids`` user ``uid`` still reads now (the
        request's cursor is closed during the long poll: a fresh one)."""
        with odoo.registry(dbname).cursor() as cr:
            env = odoo.api.Environment(cr, uid, {})
            return env["mail.channel"]._prm_bus_subscriptions(channel_ids)
