"""Demo data: the dealer exchange (``mail.channel``) of the demo network.

The channels and their messages come from ``lib/demo_exchange.py``; this
only stores them (called by ``prm.demo.loader._load_demo_network``).
"""
import datetime

import pytz

from odoo import api, fields, models

from odoo.addons.prm_partner_portal.lib import chat_policy

from ..lib import demo_exchange


class PrmDemoLoader(models.AbstractModel):
    _inherit = "prm.demo.loader"

    @api.model
    def _demo_exchange(self, network, territories):
        """Demo exchange channels with some weeks of history.

        Called by ``_load_demo_network`` with the generated network and its
        territories (code -> record).
        """
        specs = demo_exchange.channels(network)
        logins = {login for spec in specs for login in spec["members"]}
        users = {user.login: user for user in self.env["res.users"].search(
            [("login", "in", sorted(logins))])}
        berlin = pytz.timezone("Europe/Berlin")
        today = fields.Date.from_string(fields.Date.context_today(self))
        for spec in specs:
            channel = self.env["mail.channel"].create({
                "name": spec["name"], "description": spec["description"],
                "public": "private", "email_send": False, "prm_is_exchange": True,
                "prm_territory_id": spec["region"] and territories[spec["region"]].id,
                "channel_partner_ids": [(4, users[login].partner_id.id)
                                        for login in spec["members"]
                                        if login in users],
            })
            posted = []
            for message in spec["messages"]:
                hour, minute = (int(part) for part in message["time"].split(":"))
                local = datetime.datetime.combine(
                    today - datetime.timedelta(days=message["days_ago"]),
                    datetime.time(hour, minute))
                date = berlin.localize(local).astimezone(pytz.utc).replace(
                    tzinfo=None)
                author = users[message["login"]].partner_id
                posted.append(channel.message_post(
                    body=chat_policy.text_to_html(message["text"]),
                    message_type="comment", subtype="mail.mt_comment",
                    author_id=author.id, email_from=author.email,
                    date=fields.Datetime.to_string(date)))
            if len(posted) > spec["unread_tail"]:
                channel.channel_last_seen_partner_ids.write({
                    "seen_message_id": posted[-spec["unread_tail"] - 1].id})
