"""Dealer exchange on mail.channel: membership, moderation, posting rules."""
import base64
import contextlib
import json

from odoo.exceptions import AccessError, UserError
from odoo.tools.safe_eval import safe_eval

from .common import PrmCase

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


class TestExchange(PrmCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Channel = cls.env["mail.channel"]
        cls.channel_a = Channel.create({
            "name": "T Exchange A", "public": "private", "prm_is_exchange": True,
            "channel_partner_ids": [(4, cls.director_a1.partner_id.id)]})
        cls.channel_b = Channel.create({
            "name": "T Exchange B", "public": "private", "prm_is_exchange": True,
            "channel_partner_ids": [(4, cls.director_b.partner_id.id)]})
        cls.public_channel = Channel.create({"name": "T Public", "public": "public"})
        cls.message_b = cls.channel_b.message_post(
            body="Nur für B", message_type="comment", subtype="mail.mt_comment",
            author_id=cls.director_b.partner_id.id)
        cls.public_message = cls.public_channel.message_post(
            body="Öffentlich", message_type="comment", subtype="mail.mt_comment")

    @contextlib.contextmanager
    def refused(self, exception):
        """assertRaises that also undoes what happened before the refusal."""
        with self.assertRaises(exception) as caught, self.env.cr.savepoint():
            yield caught

    def as_director(self, channel):
        return channel.sudo(self.director_a1)

    def channel_messages(self, user, channel):
        return self.env["mail.message"].sudo(user).search(
            channel._prm_message_domain())

    def test_bus_signals_and_withdrawals(self):
        """Issue 23: a message the page shows is signalled on the exchange's
        bus channel (ids only); hiding and deleting withdraw it; a dealer's
        long poll is not subscribed to the exchange's Discuss channel."""
        bus_channel = json.dumps([self.env.cr.dbname, "prm.exchange",
                                  self.channel_a.id], separators=(",", ":"))

        def last_signal():
            row = self.env["bus.bus"].sudo().search(
                [("channel", "=", bus_channel)], order="id desc", limit=1)
            return json.loads(row.message) if row else None

        channel = self.channel_a.sudo(self.manager)
        message = channel.message_post(body="<p>Hallo</p>", message_type="comment",
                                       subtype="mail.mt_comment")
        self.assertEqual(last_signal(), {"prm_exchange": "message",
                                         "channel_id": self.channel_a.id,
                                         "message_id": message.id})
        note = channel.message_post(body="intern", message_type="notification")
        self.assertEqual(last_signal()["message_id"], message.id)  # not shown
        message.sudo(self.manager).action_prm_hide()
        self.assertEqual(last_signal(), {"prm_exchange": "withdraw",
                                         "channel_id": self.channel_a.id,
                                         "message_ids": [message.id]})
        other = channel.message_post(body="Weg", message_type="comment",
                                     subtype="mail.mt_comment")
        (other | note).sudo().unlink()
        self.assertEqual(last_signal()["message_ids"], sorted([other.id, note.id]))
        Channel = self.env["mail.channel"]
        domain = [("id", "=", self.channel_a.id)]
        self.assertTrue(Channel.sudo(self.director_a1).search(domain))
        self.assertFalse(Channel.sudo(self.director_a1).with_context(
            prm_bus_poll=True).search(domain))
        self.assertTrue(Channel.sudo(self.manager).with_context(
            prm_bus_poll=True).search(domain))
        self.assertEqual(Channel.sudo(self.director_a1)._prm_bus_subscriptions(
            [self.channel_a.id, self.channel_b.id, "x"]), [self.channel_a.id])
        self.assertEqual(Channel.sudo(self.director_b)._prm_bus_subscriptions(
            [self.channel_a.id]), [])

    def test_head_office_is_made_moderator(self):
        self.assertIn(self.manager.partner_id, self.channel_a.channel_partner_ids)
        self.assertNotIn(self.tm_a.partner_id, self.channel_a.channel_partner_ids)

    def test_portal_director_cannot_read_non_member_channel(self):
        Channel = self.env["mail.channel"].sudo(self.director_a1)
        self.assertEqual(Channel._prm_portal_channels(), self.channel_a)
        self.assertFalse(Channel.search([("id", "in", [
            self.channel_b.id, self.public_channel.id])]))
        self.assertFalse(self.channel_messages(self.director_a1, self.channel_b))
        self.assertFalse(self.env["mail.message"].sudo(self.director_a1).search(
            [("id", "in", [self.message_b.id, self.public_message.id])]))
        with self.refused(AccessError):
            self.message_b.sudo(self.director_a1).read(["body"])
        with self.refused(AccessError):
            self.channel_b.sudo(self.director_a1).read(["name"])
        # a member reads it
        self.assertEqual(self.channel_messages(self.director_b, self.channel_b),
                         self.message_b)

    def test_portal_director_cannot_join_or_post_elsewhere(self):
        Membership = self.env["mail.channel.partner"].sudo(self.director_a1)
        with self.refused(AccessError):
            Membership.create({"channel_id": self.channel_b.id,
                               "partner_id": self.director_a1.partner_id.id})
        own = Membership.search([("channel_id", "=", self.channel_a.id)])
        self.assertEqual(own.partner_id, self.director_a1.partner_id)
        with self.refused(AccessError):
            own.write({"channel_id": self.channel_b.id})
        with self.refused(AccessError):
            self.channel_b.sudo(self.director_a1).message_post(
                body="x", message_type="comment", subtype="mail.mt_comment")
        with self.refused(AccessError):
            self.channel_b._prm_check_post(self.director_a1.partner_id)
        with self.refused(AccessError):  # injecting into channel B
            self.env["mail.message"].sudo(self.director_a1).create({
                "body": "x", "message_type": "comment",
                "channel_ids": [(4, self.channel_b.id)]})
        self.assertEqual(self.channel_messages(self.director_b, self.channel_b),
                         self.message_b)

    def test_member_posts_escaped_text_as_itself(self):
        message = self.as_director(self.channel_a)._prm_portal_post(
            '<script>alert("x")</script>\nZweite <b>Zeile</b>')
        self.assertEqual(message.author_id, self.director_a1.partner_id)
        self.assertEqual(message.create_uid, self.director_a1)
        self.assertIn("&lt;script&gt;", message.body)
        self.assertIn("<br>", message.body)
        self.assertNotIn("<script", message.body)
        self.assertNotIn("<b>", message.body)
        self.assertIn(message, self.channel_messages(self.director_a1, self.channel_a))
        with self.refused(AccessError):  # no posting in someone else's name
            self.as_director(self.channel_a).message_post(
                body="x", message_type="comment", subtype="mail.mt_comment",
                author_id=self.director_b.partner_id.id)

    def test_member_posts_one_checked_attachment(self):
        message = self.as_director(self.channel_a)._prm_portal_post(
            "Foto", filename="maschine.png", content=PNG)
        attachment = message.sudo(self.director_a1).attachment_ids
        self.assertEqual(attachment.name, "maschine.png")
        self.assertEqual((attachment.res_model, attachment.res_id),
                         ("mail.channel", self.channel_a.id))
        self.assertEqual(base64.b64decode(attachment.datas), PNG)
        with self.refused(AccessError):
            attachment.sudo(self.director_b).read(["datas"])
        before = self.env["mail.message"].search_count([])
        for name, content in (("tool.exe", b"MZ"), ("fake.pdf", PNG),
                              ("big.png", PNG + b"\0" * (2 * 1024 * 1024))):
            with self.refused(UserError):
                self.as_director(self.channel_a)._prm_portal_post(
                    "x", filename=name, content=content)
        self.assertEqual(self.env["mail.message"].search_count([]), before)

    def test_muted_member_cannot_post(self):
        membership = self.channel_a._prm_membership(self.director_a1.partner_id)
        with self.refused(AccessError):  # only head office mutes
            membership.sudo(self.tm_a).write({"prm_muted": True})
        membership.sudo(self.manager).write({"prm_muted": True})
        with self.refused(UserError) as error:
            self.as_director(self.channel_a)._prm_portal_post("Hallo")
        self.assertIn("muted", error.exception.name)
        with self.refused(UserError):  # also not through the ORM/RPC
            self.as_director(self.channel_a).message_post(
                body="Hallo", message_type="comment", subtype="mail.mt_comment")
        with self.refused(AccessError):  # and cannot unmute itself
            membership.sudo(self.director_a1).write({"prm_muted": False})
        self.assertFalse(self.channel_messages(self.director_a1, self.channel_a))
        membership.sudo(self.manager).write({"prm_muted": False})
        self.as_director(self.channel_a)._prm_portal_post("Hallo")

    def test_rate_limit_and_length(self):
        channel = self.as_director(self.channel_a)
        for index in range(5):
            channel._prm_portal_post("Nachricht %d" % index)
        with self.refused(UserError) as error:
            channel._prm_portal_post("eine zu viel")
        self.assertIn("too fast", error.exception.name)
        self.assertEqual(len(self.channel_messages(self.director_a1, channel)), 5)
        # internal users (Discuss) are not limited
        for index in range(6):
            self.channel_a.sudo(self.manager).message_post(
                body="Zentrale %d" % index, message_type="comment",
                subtype="mail.mt_comment")

    def test_too_long_text_is_refused(self):
        channel = self.as_director(self.channel_a)
        with self.refused(UserError) as error:
            channel._prm_portal_post("x" * 4001)
        self.assertIn("too long", error.exception.name)
        channel._prm_portal_post("x" * 4000)

    def test_message_content_rules(self):
        """Dealers post plain text; head office edits load nothing remote."""
        pixel = '<img src="https://evil.example/p.png">'
        message = self.as_director(self.channel_a).message_post(
            body='<a href="https://evil.example">Hier</a>%s' % pixel,
            message_type="comment", subtype="mail.mt_comment")
        self.assertNotIn("<a", message.sudo().body)
        self.assertNotIn("<img", message.sudo().body)
        self.assertIn("Hier [1]", message.sudo().body)
        with self.refused(UserError) as error:
            self.as_director(self.channel_a).message_post(
                body="<b></b>" * 20000 + "x", message_type="comment",
                subtype="mail.mt_comment")
        self.assertIn("too large", error.exception.name)
        own = self.channel_a.sudo(self.manager).message_post(
            body="<p>Zentrale</p>", message_type="comment",
            subtype="mail.mt_comment")
        own.sudo(self.manager).write({"body": "<p>Neu</p>%s" % pixel})
        self.assertEqual(own.body, "<p>Neu</p>")

    def test_hidden_messages_are_excluded(self):
        visible = self.channel_a.sudo(self.manager).message_post(
            body="Sichtbar", message_type="comment", subtype="mail.mt_comment")
        hidden = self.channel_a.sudo(self.manager).message_post(
            body="Versteckt", message_type="comment", subtype="mail.mt_comment")
        with self.refused(AccessError):
            hidden.sudo(self.tm_a).action_prm_hide()
        with self.refused(AccessError):
            hidden.sudo(self.director_a1).write({"prm_hidden": True})
        self.assertEqual(self.channel_a.sudo(
            self.director_a1)._prm_unread_counts(), {self.channel_a.id: 2})
        hidden.sudo(self.manager).action_prm_hide()
        self.assertTrue(hidden.prm_hidden)
        self.assertEqual(self.channel_messages(self.director_a1, self.channel_a),
                         visible)
        with self.refused(AccessError):  # not even by id
            hidden.sudo(self.director_a1).read(["body"])
        with self.refused(AccessError):  # nor unhide it
            hidden.sudo(self.director_a1).write({"prm_hidden": False})
        self.assertEqual(self.channel_a.sudo(
            self.director_a1)._prm_unread_counts(), {self.channel_a.id: 1})
        # head office still sees and can restore it
        self.assertIn(hidden, self.env["mail.message"].sudo(self.manager).search(
            self.channel_a._prm_message_domain(include_hidden=True)))
        hidden.sudo(self.manager).action_prm_unhide()
        self.assertEqual(len(self.channel_messages(self.director_a1,
                                                   self.channel_a)), 2)

    def test_reading_marks_seen(self):
        first = self.channel_a.sudo(self.manager).message_post(
            body="Eins", message_type="comment", subtype="mail.mt_comment")
        second = self.channel_a.sudo(self.manager).message_post(
            body="Zwei", message_type="comment", subtype="mail.mt_comment")
        channel = self.as_director(self.channel_a)
        self.assertEqual(channel._prm_unread_counts(), {self.channel_a.id: 2})
        channel._prm_mark_seen(first.id)
        self.assertEqual(channel._prm_unread_counts(), {self.channel_a.id: 1})
        channel._prm_mark_seen(second.id)
        channel._prm_mark_seen(first.id)  # never moves back
        self.assertEqual(channel._prm_unread_counts(), {self.channel_a.id: 0})
        # own messages are never unread
        channel._prm_portal_post("Meine")
        self.assertEqual(channel._prm_unread_counts(), {self.channel_a.id: 0})

    def test_message_values_name_other_dealers(self):
        self.channel_a.write({"channel_partner_ids": [
            (4, self.director_b.partner_id.id)]})
        self.channel_a.sudo(self.director_b)._prm_portal_post("Gruß von B")
        channel = self.as_director(self.channel_a)
        messages = self.channel_messages(self.director_a1, channel)
        values = channel._prm_message_values(messages)
        self.assertEqual([(v["author"], v["company"], v["own"]) for v in values],
                         [(self.director_b.partner_id.name, "T Dealer B", False)])

    def test_head_office_lists_and_moderates_in_the_backend(self):
        message = self.as_director(self.channel_a)._prm_portal_post(
            "Zeile 1\n<i>Zeile</i> 2")
        action = self.channel_a.sudo(self.manager).action_prm_view_messages()
        Message = self.env["mail.message"].sudo(self.manager)
        self.assertEqual(Message.search(action["domain"]), message)
        listed = self.env.ref("prm_partner_portal.action_prm_exchange_messages")
        domain = safe_eval(listed.domain)
        found = Message.search(domain)
        self.assertIn(message, found)
        self.assertNotIn(self.public_message, found)
        self.assertEqual(message.prm_body_text, "Zeile 1 <i>Zeile</i> 2")
        message.sudo(self.manager).action_prm_hide()
        self.assertIn(message, Message.search(domain))
        self.assertEqual(self.channel_a.sudo(self.manager).prm_message_count, 1)
        message.sudo(self.manager).unlink()
        self.assertFalse(message.exists())
