"""Dealer exchange: the posting rules on every path that creates or changes
a message of an exchange channel (moderation by head office included).
"""
import base64

from odoo import SUPERUSER_ID, _, api, fields, models, tools
from odoo.exceptions import AccessError

from ..lib import chat_policy, exchange_bus
from .exchange_common import acting_user, is_head_office, policy_error, sign_in_error
from . import read_group_access

# Written on a new message by mail.message._notify as the posting user.
NOTIFY_FIELDS = frozenset(["channel_ids", "needaction_partner_ids"])


def command_ids(commands):
    """Record ids referenced by x2many ``commands`` (4, 6 and plain ids)."""
    ids = set()
    for command in commands or []:
        if isinstance(command, int):
            ids.add(command)
        elif isinstance(command, (list, tuple)) and command:
            if command[0] in (1, 4) and len(command) > 1:
                ids.add(command[1])
            elif command[0] == 6 and len(command) > 2:
                ids.update(command[2] or [])
    return ids


class MailMessage(models.Model):
    _inherit = "mail.message"

    prm_hidden = fields.Boolean(
        string="Hidden in the exchange", index=True, copy=False,
        help="Hidden by head office: no longer shown in the partner portal.")
    prm_body_text = fields.Char(string="Text", compute="_compute_prm_body_text")

    @api.depends("body")
    def _compute_prm_body_text(self):
        for message in self:
            text = " ".join(tools.html2plaintext(message.body or "").split())
            message.prm_body_text = text if len(text) <= 200 else text[:199] + "…"

    @api.model
    def _prm_exchange_channels(self, values):
        ids = command_ids(values.get("channel_ids"))
        if values.get("model") == "mail.channel" and values.get("res_id"):
            ids.add(values["res_id"])
        return self.env["mail.channel"].sudo().browse(ids).exists().filtered(
            "prm_is_exchange")

    @api.model
    def _search(self, args, offset=0, limit=None, order=None, count=False,
                access_rights_uid=None):
        # Odoo 11 prefixes ['&', '&', a, b] for portal users, which an empty
        # domain leaves malformed: a server error instead of the messages.
        args = list(args) or [(1, "=", 1)]
        outside = self._prm_outsider_domain()
        if outside:
            args = ["&"] + outside + args
        return super()._search(
            args, offset=offset, limit=limit, order=order,
            count=count, access_rights_uid=access_rights_uid)

    def _prm_outsider_domain(self):
        """Defence in depth for a dealer's contact outside the programme
        (``res.partner._prm_exchange_outsiders``): a domain leaving out the
        messages of every dealer exchange except the contact's own; ``[]``
        for everybody else. The membership rows are removed when the
        company stops taking part; this holds should one be left behind
        (core grants a member every message of the channel by SQL)."""
        user = self.env.user
        if self.env.uid == SUPERUSER_ID or not user.share or \
                not user.partner_id._prm_exchange_outsiders():
            return []
        # sudo: the ids of the exchange channels are not returned
        exchanges = self.env["mail.channel"].sudo().search(
            [("prm_is_exchange", "=", True)]).ids
        return ["|", "|", ("model", "!=", "mail.channel"),
                ("res_id", "not in", exchanges or [0]),
                ("author_id", "=", user.partner_id.id)]

    @api.multi
    def check_access_rule(self, operation):
        """Core's rules, then ``_prm_outsider_domain`` for reading by id."""
        super().check_access_rule(operation)
        outside = self._prm_outsider_domain() if operation == "read" else []
        if outside and self.ids:
            # sudo: the messages are counted, not returned
            Message = self.sudo().with_context(active_test=False)
            if Message.search_count([("id", "in", self.ids)] + outside) < \
                    len(set(self.ids)):
                raise AccessError(_("You are not a member of this exchange."))

    @api.model
    def create(self, values):
        channels = self._prm_exchange_channels(values)
        if channels:
            poster = acting_user(self.env)
            if poster is None:
                raise sign_in_error()
            values = self._prm_exchange_content(values, poster)
            if poster.id != SUPERUSER_ID and not is_head_office(poster):
                self._prm_check_exchange_create(values, channels, poster)
        return super().create(values)

    @api.model
    def _prm_exchange_content(self, values, poster):
        """``values`` with the body (and subject) an exchange message may have.

        The one place where every path that creates an exchange message
        (``message_post`` over RPC, ``mail.message.create``, the portal form,
        core routes) gets its content rules. Dealers (``poster.share``): the
        body is reduced to its plain text and stored escaped (no tag, link,
        image or style), its text counts for the length limit, the subject is
        one line of text. Everybody else: Odoo's sanitized HTML without
        content loaded from other servers. Every body at most
        ``chat_policy.MAX_BODY_BYTES`` as sent.
        """
        values = dict(values)
        body = tools.ustr(values.get("body") or "")
        try:
            chat_policy.check_body_size(body)
            if poster.share:
                values["body"] = chat_policy.dealer_body(
                    tools.html2plaintext(body),
                    has_attachment=bool(command_ids(values.get("attachment_ids"))))
                if values.get("subject"):
                    values["subject"] = chat_policy.plain_subject(values["subject"])
            elif body:
                values["body"] = chat_policy.without_remote_content(body)
        except chat_policy.ChatPolicyError as error:
            raise policy_error(error, self.env)
        return values

    def _prm_check_exchange_create(self, values, channels, poster):
        """The posting rules on every path that creates an exchange message.

        ``poster``: the acting user (see ``acting_user``), also when a core
        route creates the message as superuser. Dealers (portal users): one
        channel, as themselves, member, not muted, rate, length and
        attachment rules. Other employees: member and not muted.
        """
        if not poster.share:
            for channel in channels:
                membership = channel._prm_membership(poster.partner_id)
                if not membership or membership.prm_muted:
                    raise AccessError(
                        _("You cannot post this message in the exchange."))
            return
        partner = poster.partner_id
        if command_ids(values.get("channel_ids")) or len(channels) > 1 or \
                values.get("author_id", partner.id) != partner.id or \
                values.get("prm_hidden"):
            raise AccessError(_("You cannot post this message in the exchange."))
        # body and subject: see _prm_exchange_content
        self._prm_check_attachments(values, channels, poster)
        channels._prm_check_post(partner)

    def _prm_check_attachments(self, values, channel, poster):
        """At most one attachment, of this channel or the poster's upload,
        whose content passes ``chat_policy.check_attachment``."""
        ids = command_ids(values.get("attachment_ids"))
        if not ids:
            return
        # sudo: the poster may not read an attachment bound to a channel
        # before the message exists; only its binding and content are checked
        attachments = self.env["ir.attachment"].sudo().browse(ids).exists()
        if len(ids) > 1 or len(attachments) != len(ids):
            raise AccessError(_("You cannot post this message in the exchange."))
        for attachment in attachments:
            own_upload = attachment.res_model == "mail.compose.message" and \
                attachment.create_uid == poster
            in_channel = attachment.res_model == "mail.channel" and \
                attachment.res_id == channel.id
            if not (own_upload or in_channel) or attachment.type != "binary":
                raise AccessError(
                    _("You cannot post this message in the exchange."))
            try:
                chat_policy.check_attachment(
                    attachment.datas_fname or attachment.name,
                    base64.b64decode(attachment.datas or b""))
            except chat_policy.ChatPolicyError as error:
                raise policy_error(error, self.env)

    @api.multi
    def write(self, vals):
        if self.env.uid != SUPERUSER_ID:
            user = self.env.user
            if "prm_hidden" in vals and not user._prm_is_head_office():
                raise AccessError(_("Only head office can hide messages."))
            if not user._prm_is_head_office():
                self._prm_check_portal_write(vals)
        if vals.get("body") and self._prm_in_exchange():
            # head office edits (others may not): the rules of a new post
            body = tools.ustr(vals["body"])
            try:
                chat_policy.check_body_size(body)
            except chat_policy.ChatPolicyError as error:
                raise policy_error(error, self.env)
            vals = dict(vals, body=chat_policy.without_remote_content(body))
        result = super().write(vals)
        if vals.get("prm_hidden"):
            self._prm_bus_withdraw()
        return result

    @api.multi
    def unlink(self):
        self._prm_bus_withdraw()
        return super().unlink()

    def _prm_bus_withdraw(self):
        """Withdraw these messages live from the pages open on their exchange
        (hidden by head office, or deleted); sent when the transaction
        commits, like every bus notification."""
        # sudo: only the channel binding is read, to address the signal
        messages = self.sudo().filtered(lambda message: message.model == "mail.channel")
        channels = self.env["mail.channel"].sudo().browse(
            set(messages.mapped("res_id"))).exists().filtered("prm_is_exchange")
        notifications = []
        for channel in channels:
            ids = messages.filtered(lambda message: message.res_id == channel.id).ids
            notifications.append([
                exchange_bus.bus_channel(self.env.cr.dbname, channel.id),
                exchange_bus.withdraw_signal(channel.id, ids)])
        if notifications:
            self.env["bus.bus"].sendmany(notifications)

    def _prm_check_portal_write(self, vals):
        """Only head office edits, moves or injects exchange messages.

        Core lets every channel member edit any message of the channel.

        The one write allowed is Odoo's own ``_notify`` (run as the poster)
        linking a new message to the channel it was posted in.
        """
        targets = self._prm_exchange_channels(vals)
        if not (targets or self._prm_in_exchange()):
            return
        own_channels = set(self.filtered(
            lambda message: message.model == "mail.channel").mapped("res_id"))
        if set(vals) - NOTIFY_FIELDS or not set(targets.ids) <= own_channels:
            raise AccessError(_("Messages in the exchange cannot be changed."))

    def _prm_in_exchange(self):
        self._cr.execute("""
            SELECT 1 FROM mail_message m
            JOIN mail_channel c ON c.id = m.res_id AND m.model = 'mail.channel'
            WHERE m.id IN %s AND c.prm_is_exchange LIMIT 1""",
                         (tuple(self.ids) or (0,),))
        return bool(self._cr.fetchone())

    def action_prm_hide(self):
        return self._prm_set_hidden(True)

    def action_prm_unhide(self):
        return self._prm_set_hidden(False)

    def _prm_set_hidden(self, hidden):
        if not self.env.user._prm_is_head_office():
            raise AccessError(_("Only head office can hide messages."))
        # sudo: head office moderates every exchange message, also in a
        # channel it is not (or no longer) a member of; the group is checked.
        self.sudo().write({"prm_hidden": hidden})
        return True

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None,
                   orderby=False, lazy=True):
        """Groups of the records ``search`` gives the caller:
        core's message access and the exchange's checks are in
        ``_search`` (``read_group_access``)."""
        return super().read_group(
            read_group_access.search_domain(self, domain), fields, groupby,
            offset=offset, limit=limit, orderby=orderby, lazy=lazy)
