"""Dealer exchange: Discuss channels (``mail.channel``) shown in the portal.

Head office decides membership on the standard channel form (tab *Members*,
``channel_last_seen_partner_ids``) under Partner Network > Dealer exchange;
internal users post from the normal Discuss app, managing directors from
``/my/exchange``. Posting rules (mute, rate limit, length, attachment types)
live in ``lib/chat_policy.py``; they are enforced for portal users in
``mail.message.create`` too, so XML-RPC cannot bypass the portal form.

The exchange's other model files: ``mail_channel_partner.py`` (muting, read
markers), ``mail_message_exchange.py`` (the posting rules on every path),
``mail_thread_exchange.py`` (no incoming e-mail); shared helpers in
``exchange_common.py``; the demo channels come from the ``prm_demo`` addon.
"""
import base64
import os

from odoo import SUPERUSER_ID, _, api, fields, models, sql_db, tools
from odoo.exceptions import AccessError, UserError, ValidationError

from ..lib import chat_policy, exchange_bus
from .exchange_common import acting_user, is_head_office, policy_error, sign_in_error

MANAGER_GROUP = "prm_partner_portal.group_prm_manager"
#: Writing these can add members to an exchange (or make a channel one).
MEMBER_FIELDS = frozenset(
    ["channel_partner_ids", "channel_last_seen_partner_ids", "prm_is_exchange"])
PORTAL_MESSAGE_TYPES = ("comment", "email")
# pg_advisory_xact_lock(RATE_LOCK_KEY, partner id) serialises one author's
# posts, so the rate limit holds under concurrent requests ("PRMx").
RATE_LOCK_KEY = 0x50524D78


class MailChannel(models.Model):
    _inherit = "mail.channel"

    prm_is_exchange = fields.Boolean(
        string="Dealer exchange", index=True,
        help="Shown to its member managing directors in the partner portal "
             "(My account > Exchange). Head office users are added as "
             "members (moderators) automatically.")
    prm_territory_id = fields.Many2one(
        "prm.territory", string="Region",
        help="Empty for the whole dealer network.")
    prm_message_count = fields.Integer(
        string="Exchange messages", compute="_compute_prm_message_count")
    # The uuid opens core's public chat routes (/mail/chat_post, chat_history)
    # and public bus channels: employees' Discuss needs it, dealers do not.
    uuid = fields.Char(groups="base.group_user")

    @api.constrains("prm_is_exchange", "public")
    def _check_prm_exchange_private(self):
        if any(channel.prm_is_exchange and channel.public != "private"
               for channel in self):
            raise ValidationError(_(
                "A dealer exchange is always private: only its members read it."))

    def _prm_check_new_members(self, added):
        """Refuse contacts that may not be members of a dealer exchange.

        ``added``: {channel id: res.partner recordset} of the members these
        channels gained (all of a new exchange's members). Raises a
        translated ValidationError naming the contacts whose company does
        not take part in the programme (``res.partner.
        _prm_exchange_outsiders``); employees and contacts of active dealers
        pass. Called on every path that adds members: ``create`` and
        ``write`` here (``channel_partner_ids`` is a many2many on the
        membership table and does not go through ``mail.channel.partner.
        create``; also Discuss's join, invite and group subscriptions) and
        ``mail.channel.partner``'s constraint for rows created directly.
        Only new members are checked: a row left behind (see
        ``_prm_membership``) does not block head office's other changes.
        """
        # sudo: members' companies and users decide the rule
        for channel in self.sudo().filtered("prm_is_exchange"):
            outsiders = added.get(channel.id, self.env["res.partner"])
            outsiders = outsiders._prm_exchange_outsiders()
            if outsiders:
                raise ValidationError(_(
                    "%(members)s cannot be a member of the dealer exchange "
                    "%(channel)s: the company does not take part in the "
                    "partner programme.") % {
                        "members": ", ".join(sorted(outsiders.mapped("name"))),
                        "channel": channel.name})

    def _compute_prm_message_count(self):
        Message = self.env["mail.message"]
        for channel in self:
            channel.prm_message_count = Message.search_count(
                channel._prm_message_domain(include_hidden=True))

    @api.model
    def create(self, vals):
        if vals.get("prm_is_exchange"):
            # moderators are members from the start: a private channel is
            # readable by members only, also while it is being created
            vals = dict(vals, public="private", channel_partner_ids=list(
                vals.get("channel_partner_ids") or []) + [
                (4, partner.id) for partner in self._prm_moderators().mapped(
                    "partner_id")])
        channel = super().create(vals)
        if channel.prm_is_exchange:
            channel._prm_check_new_members(
                {channel.id: channel.sudo().channel_partner_ids})
            channel._prm_add_moderators()
        return channel

    @api.multi
    def write(self, vals):
        if vals.get("prm_is_exchange") and "public" not in vals:
            vals = dict(vals, public="private")
        before = {}
        if MEMBER_FIELDS.intersection(vals):
            # the many2many and the one2many share the membership table:
            # read it fresh, before and after
            self.invalidate_cache(["channel_partner_ids"], self.ids)
            # sudo: the members before the write, to find the new ones
            before = {channel.id: channel.channel_partner_ids
                      if channel.prm_is_exchange else self.env["res.partner"]
                      for channel in self.sudo()}
        result = super().write(vals)
        if before:
            self.invalidate_cache(["channel_partner_ids"], self.ids)
            self._prm_check_new_members({
                channel.id: channel.channel_partner_ids - before[channel.id]
                for channel in self.sudo()})
        if vals.get("prm_is_exchange"):
            self._prm_add_moderators()
        return result

    @api.multi
    def message_subscribe(self, partner_ids=None, channel_ids=None,
                          subtype_ids=None, force=True):
        """Followers of an exchange get its messages by e-mail: the rule of
        its members (``_prm_check_new_members``) holds for them too."""
        if partner_ids and self._prm_exchanges():
            partners = self.env["res.partner"].browse(partner_ids)
            self._prm_check_new_members({channel.id: partners for channel in self})
        return super().message_subscribe(
            partner_ids=partner_ids, channel_ids=channel_ids,
            subtype_ids=subtype_ids, force=force)

    # --- core Discuss API: the exchange's rules on every path -----------------
    def _prm_exchanges(self):
        # sudo: only the flag is read, to decide which rules apply
        return self.sudo().filtered("prm_is_exchange")

    def _prm_reader(self):
        """The user reading these exchange channels; raise unless a member.

        Returns the user, or None when the superuser itself acts.
        """
        user = acting_user(self.env)
        if user is None:
            raise sign_in_error()
        if user.id == SUPERUSER_ID or is_head_office(user):
            return None
        for channel in self:
            if not channel._prm_membership(user.partner_id):
                raise AccessError(_("You are not a member of this exchange."))
        return user

    @api.multi
    def channel_fetch_message(self, last_id=False, limit=20):
        """Exchange history only for members, with their own access rules.

        Core's ``/mail/chat_history`` calls this as superuser for anyone who
        knows the uuid; here it runs as the member (hidden messages stay
        hidden from dealers).
        """
        exchanges = self._prm_exchanges()
        if exchanges:
            reader = self.browse(exchanges.ids)._prm_reader()
            if reader and reader.id != self.env.uid:
                return super(MailChannel, self.sudo(reader.id)).channel_fetch_message(
                    last_id=last_id, limit=limit)
        return super().channel_fetch_message(last_id=last_id, limit=limit)

    @api.model
    def search(self, args, offset=0, limit=None, order=None, count=False):
        """Without exchange channels for a dealer's long poll.

        Core's poll (``MailChatController._poll``) subscribes a user to the
        Discuss bus channel of each of their channels, where core sends
        every message in full (``message_format``: e-mail addresses, messages
        the page does not show). Dealers follow the exchange on its own bus
        channel (``controllers/exchange_bus.py`` sets ``prm_bus_poll``).
        """
        if self.env.context.get("prm_bus_poll") and self.env.user.share:
            args = list(args) + [("prm_is_exchange", "=", False)]
        return super().search(args, offset=offset, limit=limit, order=order,
                              count=count)

    @api.multi
    def channel_info(self, extra_info=False):
        """Without the uuid for dealers (they use the portal, not Discuss)."""
        if self.env.uid == SUPERUSER_ID or not self.env.user.share:
            return super().channel_info(extra_info)
        exchanges = self._prm_exchanges()
        infos = super(MailChannel, self - exchanges).channel_info(extra_info)
        for channel in self.browse(exchanges.ids):
            info = {"id": channel.id, "name": channel.name, "uuid": False,
                    "state": "open", "is_minimized": False,
                    "channel_type": channel.channel_type, "public": channel.public,
                    "mass_mailing": False, "group_based_subscription": False}
            if extra_info:
                info["info"] = extra_info
            infos.append(info)
        return infos

    @api.model
    def channel_fetch_listeners(self, uuid):
        """Core answers every caller with the members' names and e-mails."""
        # sudo: the uuid is looked up to decide whether the exchange's
        # membership rule applies; nothing is returned from this search
        channel = self.sudo().search([("uuid", "=", uuid)], limit=1)
        if channel._prm_exchanges():
            self.browse(channel.id)._prm_reader()
        return super().channel_fetch_listeners(uuid)

    @api.multi
    def _channel_message_notifications(self, message):
        """No broadcast of exchange messages on the public uuid bus channel."""
        notifications = super()._channel_message_notifications(message)
        exchanges = self._prm_exchanges()
        secret = set(exchanges.mapped("uuid"))
        notifications = [notification for notification in notifications
                         if not (isinstance(notification[0], str)
                                 and notification[0] in secret)]
        return notifications + exchanges._prm_bus_signals(message)

    def _prm_bus_signals(self, message):
        """Live signal of ``message`` to the pages open on these exchanges.

        Only a message the page shows dealers (a visible chat message); the
        signal carries its id only, the page fetches it under its own rules.
        """
        # sudo: type and hidden flag decide whether a signal is sent; the
        # signal itself carries no content
        shown = message.sudo()
        if shown.message_type not in PORTAL_MESSAGE_TYPES or shown.prm_hidden:
            return []
        return [[exchange_bus.bus_channel(self.env.cr.dbname, channel.id),
                 exchange_bus.message_signal(channel.id, message.id)]
                for channel in self]

    @api.model
    def _prm_bus_subscriptions(self, requested):
        """Exchange bus channels the current user may listen to.

        ``requested``: ``options["prm_exchange"]`` of a long poll (anything).
        Returns the ids among them of exchange channels the user reads on
        ``/my/exchange``: a signed-in managing director (SMS code given)
        whose contact is a member (muted members read too). Everybody else:
        an empty list.
        """
        ids = exchange_bus.requested_ids(requested)
        user = self.env.user
        if not ids or self.env.uid == SUPERUSER_ID or user._is_public() or \
                not user._prm_is_director():
            return []
        return self._prm_portal_channels().filtered(
            lambda channel: channel.id in ids).ids

    @api.multi
    def _alias_check_contact(self, message, message_dict, alias):
        """No post into an exchange by e-mail (the sender is not signed in)."""
        if self._prm_exchanges():
            return {"error_message": _("the dealer exchange takes no e-mail")}
        return super()._alias_check_contact(message, message_dict, alias)

    @api.model
    def _prm_moderators(self):
        # sudo: group members are not readable by every user; only their
        # partners are added to the channel.
        return self.env.ref(MANAGER_GROUP).sudo().users.filtered(
            lambda user: not user.share and user.id != SUPERUSER_ID)

    def _prm_add_moderators(self):
        """Head office moderates: make its users members of exchange channels."""
        managers = self._prm_moderators()
        for channel in self.sudo():
            missing = managers.mapped("partner_id") - channel.channel_partner_ids
            if missing:
                channel.write({"channel_partner_ids": [(4, p.id) for p in missing]})

    # --- portal helpers (called as the portal user) ---------------------------
    @api.model
    def _prm_portal_channels(self):
        """Exchange channels the current user's partner is a member of
        (none while their company does not take part in the programme)."""
        if self.env.user.partner_id._prm_exchange_outsiders():
            return self.browse()
        return self.search([
            ("prm_is_exchange", "=", True),
            ("channel_partner_ids", "in", [self.env.user.partner_id.id])],
            order="name, id")

    def _prm_message_domain(self, include_hidden=False):
        """Chat messages of this channel as shown to dealers."""
        self.ensure_one()
        domain = [("model", "=", "mail.channel"), ("res_id", "=", self.id),
                  ("message_type", "in", PORTAL_MESSAGE_TYPES)]
        if not include_hidden:
            domain.append(("prm_hidden", "=", False))
        return domain

    def _prm_membership(self, partner=None):
        """The membership row of ``partner`` (default: the current user's) in
        this channel; empty when there is none or when the partner may not
        be a member (``res.partner._prm_exchange_outsiders``: its company
        does not take part in the programme), so every reader and poster
        check refuses such a contact even if a row was left behind."""
        self.ensure_one()
        partner = partner or self.env.user.partner_id
        if self.sudo().prm_is_exchange and partner._prm_exchange_outsiders():
            return self.env["mail.channel.partner"].sudo().browse()
        return self.env["mail.channel.partner"].sudo().search([
            ("channel_id", "=", self.id), ("partner_id", "=", partner.id)], limit=1)

    def _prm_unread_counts(self):
        """Unread visible messages per channel for the current user."""
        partner = self.env.user.partner_id
        Message = self.env["mail.message"]
        counts = {}
        for channel in self:
            membership = channel._prm_membership(partner)
            domain = channel._prm_message_domain() + [
                ("author_id", "!=", partner.id)]
            if membership.seen_message_id:
                domain.append(("id", ">", membership.seen_message_id.id))
            counts[channel.id] = Message.search_count(domain) if membership else 0
        return counts

    def _prm_mark_seen(self, message_id):
        """Move the current user's read marker forward to ``message_id``."""
        self.ensure_one()
        membership = self.env["mail.channel.partner"].search([
            ("channel_id", "=", self.id),
            ("partner_id", "=", self.env.user.partner_id.id)], limit=1)
        if message_id and membership and (
                membership.seen_message_id.id or 0) < message_id:
            membership.write({"seen_message_id": message_id})

    def _prm_check_post(self, partner):
        """Raise a translated UserError when ``partner`` may not post now."""
        self.ensure_one()
        membership = self._prm_membership(partner)
        if not membership:
            raise AccessError(_("You are not a member of this exchange."))
        if membership.prm_muted:
            raise UserError(_(
                "Head office has muted you in this exchange: you can read, "
                "but not post. Please contact your territory manager."))
        self._prm_check_rate(partner)

    def _prm_check_rate(self, partner):
        """Raise when ``partner`` posted too often (holds under concurrency).

        The advisory lock makes one author's posts wait for each other until
        the posting transaction ends; the count then runs in a fresh
        transaction, whose snapshot sees the posts committed meanwhile (the
        request's own repeatable-read snapshot would not), plus the posts of
        this transaction.
        """
        cr = self.env.cr
        cr.execute("SELECT pg_advisory_xact_lock(%s, %s)",
                   (RATE_LOCK_KEY, partner.id))
        query = """
            SELECT id, EXTRACT(EPOCH FROM create_date),
                   EXTRACT(EPOCH FROM now() AT TIME ZONE 'UTC')
            FROM mail_message
            WHERE author_id = %s AND model = 'mail.channel'
              AND create_date > (now() AT TIME ZONE 'UTC') - %s * INTERVAL '1 second'
        """
        params = (partner.id, chat_policy.WINDOW_SECONDS + 60)
        with sql_db.db_connect(cr.dbname).cursor() as fresh:
            # the database clock stamps create_date: use it for "now" too,
            # read after the lock was granted
            fresh.execute("SELECT EXTRACT(EPOCH FROM now() AT TIME ZONE 'UTC')")
            now = float(fresh.fetchone()[0])
            fresh.execute(query, params)
            posted = {row[0]: float(row[1]) for row in fresh.fetchall()}
        cr.execute(query, params)
        posted.update((row[0], float(row[1])) for row in cr.fetchall())
        try:
            chat_policy.check_rate(list(posted.values()), now)
        except chat_policy.ChatPolicyError as error:
            raise policy_error(error, self.env)

    def _prm_portal_post(self, text, filename=None, content=None):
        """Post a dealer's plain-text message (and one attachment) as the user.

        ``self`` is browsed as the portal user and was found with
        ``_prm_portal_channels``, so membership is established.
        """
        self.ensure_one()
        partner = self.env.user.partner_id
        text = chat_policy.normalize_text(text)
        try:
            chat_policy.check_text(text, has_attachment=bool(content))
            mimetype = content and chat_policy.check_attachment(filename, content)
        except chat_policy.ChatPolicyError as error:
            raise policy_error(error, self.env)
        self._prm_check_post(partner)
        attachment_ids = []
        if content:
            # sudo: a portal user has no write access to mail.channel, which
            # ir.attachment requires for a channel attachment. Safe: the
            # user is a checked member, name/size/content type were
            # validated above and the file is bound to this channel only.
            attachment = self.env["ir.attachment"].sudo().create({
                "name": os.path.basename(filename),
                "datas_fname": os.path.basename(filename),
                "datas": base64.b64encode(content),
                "mimetype": mimetype,
                "res_model": "mail.channel",
                "res_id": self.id,
            })
            attachment_ids.append(attachment.id)
        # No sudo: a member may post (mail.channel._mail_post_access = 'read').
        return self.message_post(
            body=chat_policy.text_to_html(text), message_type="comment",
            subtype="mail.mt_comment", author_id=partner.id,
            attachment_ids=attachment_ids)

    def _prm_message_values(self, messages):
        """Plain dicts for the portal templates, oldest first."""
        self.ensure_one()
        own = self.env.user.partner_id
        # sudo for the authors only: dealers may not read other dealers'
        # partner records, but a channel member sees who wrote a message
        # they may read (``messages`` were searched as the user).
        authors = messages.sudo().mapped("author_id")
        labels = {}
        for author in authors:
            company = author.commercial_partner_id
            labels[author.id] = (
                author.name, company.name if company != author else "")
        result = []

        def channel_files(message):
            # sudo: only files bound to this channel, which its members may
            # read anyway; a file linked from elsewhere (an upload of one
            # dealer) is not shown and must not break the page for the others
            return message.sudo().attachment_ids.filtered(
                lambda att: att.res_model == "mail.channel"
                and att.res_id == self.id)

        # sudo: whether an author is an employee decides how their message is
        # shown; nothing of the users is returned
        internal = set(authors.filtered(lambda author: any(
            not user.share for user in author.sudo().user_ids)).ids)

        def shown_body(message):
            # the rules of _prm_exchange_content again: also messages stored
            # before they held are shown safely
            if message.author_id.id in internal:
                return chat_policy.without_remote_content(message.body)
            return chat_policy.text_to_html(tools.html2plaintext(message.body or ""))

        for message in messages.sorted("id"):
            name, company = labels.get(message.author_id.id, (_("Unknown"), ""))
            result.append({
                "id": message.id,
                "author": name,
                "company": company,
                "own": message.author_id == own,
                "date": message.date,
                "body": shown_body(message),
                "attachments": [{"id": att.id, "name": att.name}
                                for att in channel_files(message)],
            })
        return result

    def action_prm_view_messages(self):
        self.ensure_one()
        action = self.env.ref(
            "prm_partner_portal.action_prm_exchange_messages").read()[0]
        action["domain"] = self._prm_message_domain(include_hidden=True)
        action["context"] = {}
        return action
