"""Dealer exchange: incoming e-mail never reaches an exchange channel."""
import logging

from odoo import api, models

_logger = logging.getLogger(__name__)


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def message_route_process(self, message, message_dict, routes):
        """Incoming e-mail never reaches a dealer exchange.

        The mail gateway posts as superuser for whatever sender the mail
        names, also for a reply to an exchange message's Message-Id (no alias
        check on that route): an e-mail is no signed-in member.
        """
        exchange_ids = set()
        channel_ids = [route[1] for route in routes or ()
                       if route[0] == "mail.channel" and route[1]]
        if channel_ids:
            # sudo: only the exchange flag of the routed channels is read
            exchange_ids = set(self.env["mail.channel"].sudo().browse(
                channel_ids).exists().filtered("prm_is_exchange").ids)
        if exchange_ids:
            _logger.info("Incoming e-mail %s to the dealer exchange dropped",
                         message_dict.get("message_id"))
            routes = [route for route in routes
                      if not (route[0] == "mail.channel"
                              and route[1] in exchange_ids)]
            if not routes:
                return False
        return super().message_route_process(message, message_dict, routes)
