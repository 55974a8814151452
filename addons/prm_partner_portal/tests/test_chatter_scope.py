"""What a dealer's portal users read of a lead's chatter (issue 14, item 5).

A territory manager creates a lead for one dealer, forwards it, reassigns it
to a second dealer and forwards again. The second dealer's director must not
read, by any ORM path, the messages from before (the "Lead Created" message
with its tracking values: first dealer, expected revenue, salesperson, team),
nor any tracking value or internal note.
"""
from odoo.exceptions import AccessError

from .common import PrmCase

REVENUE = 98765


class TestChatterScope(PrmCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the chatter is the subject here: tracking on
        tm_env = cls.env(user=cls.tm_a.id, context=dict(
            cls.env.context, tracking_disable=False,
            mail_notify_force_send=False))
        first, second = cls.dealer_a2, cls.dealer_a1
        cls.first_dealer = first
        lead = tm_env["crm.lead"].create({
            "name": "Chatter lead", "type": "opportunity",
            "partner_assigned_id": first.id, "planned_revenue": REVENUE,
            "user_id": cls.marketing.id})
        lead.action_prm_forward()
        lead.message_post(body="Note while the first dealer has it",
                          subtype="mail.mt_comment", message_type="comment",
                          attachments=[("first-offer.txt", b"first dealer offer")])
        lead.message_post(body="Internal note", subtype="mail.mt_note",
                          message_type="comment")
        lead.write({"partner_assigned_id": second.id})
        lead.action_prm_forward()
        lead.message_post(body="Message for the second dealer",
                          subtype="mail.mt_comment", message_type="comment",
                          attachments=[("second-offer.txt", b"second offer")])
        cls.lead = lead
        cls.domain = [("model", "=", "crm.lead"), ("res_id", "=", lead.id)]
        cls.all_messages = cls.env["mail.message"].sudo().search(cls.domain)
        cls.director = cls.director_a1

    def as_director(self):
        return self.env["mail.message"].sudo(self.director)

    def assert_nothing_of_the_first_dealer(self, formatted):
        text = repr(formatted)
        for secret in (self.first_dealer.name, str(REVENUE), "Expected Revenue",
                       self.marketing.name, "first dealer", "Internal note"):
            self.assertNotIn(secret, text)
        for message in formatted:
            self.assertFalse(message.get("tracking_value_ids"), message)

    def test_fixture_has_the_leaking_history(self):
        """Head office still sees everything, tracking values included."""
        created = self.all_messages.filtered(
            lambda m: m.subtype_id == self.env.ref("crm.mt_lead_create"))
        self.assertTrue(created.tracking_value_ids)
        fetched = self.env["mail.message"].message_fetch(self.domain)
        self.assertIn(str(REVENUE), repr(fetched))

    def test_message_fetch_shows_only_the_own_period(self):
        """The issue's example: message_fetch as the second dealer's director."""
        fetched = self.as_director().message_fetch(self.domain, limit=100)
        self.assert_nothing_of_the_first_dealer(fetched)
        self.assertIn("Message for the second dealer", repr(fetched))

    def test_search_read_and_export_show_only_the_own_period(self):
        Message = self.as_director()
        found = Message.search_read(self.domain, ["body", "subject", "subtype_id"])
        self.assert_nothing_of_the_first_dealer(found)
        self.assertEqual(len(found), 1)
        exported = Message.search(self.domain).export_data(["body"])
        self.assertNotIn("first dealer", repr(exported))

    def test_earlier_messages_refused_by_id(self):
        earlier = self.all_messages.filtered(
            lambda m: "second dealer" not in (m.body or ""))
        self.assertTrue(earlier)
        for message in earlier:
            with self.assertRaises(AccessError):
                message.sudo(self.director).read(["body"])

    def test_portal_chatter_format_has_no_tracking(self):
        Message = self.as_director()
        formatted = Message.search(self.domain).portal_message_format()
        self.assert_nothing_of_the_first_dealer(formatted)

    def test_attachments_only_of_the_own_period(self):
        Attachment = self.env["ir.attachment"].sudo(self.director)
        domain = [("res_model", "=", "crm.lead"), ("res_id", "=", self.lead.id)]
        self.assertEqual(Attachment.search(domain).mapped("name"),
                         ["second-offer.txt"])
        first = self.env["ir.attachment"].search(
            domain + [("name", "=", "first-offer.txt")])
        self.assertTrue(first)
        with self.assertRaises(AccessError):
            first.sudo(self.director).read(["datas"])

    def test_tracking_values_unreadable(self):
        for user in (self.director, self.bookkeeper_a1):
            with self.assertRaises(AccessError):
                self.env["mail.tracking.value"].sudo(user).search_read(
                    [], ["old_value_char", "new_value_char"])

    def test_stamp_cannot_be_forged(self):
        message = self.env["mail.message"].sudo(self.tm_a).create({
            "model": "crm.lead", "res_id": self.lead.id, "body": "x",
            "message_type": "comment", "prm_dealer_id": self.dealer_b.id,
            "subtype_id": self.env.ref("mail.mt_comment").id})
        self.assertEqual(message.prm_dealer_id, self.dealer_a1)
        message.write({"prm_dealer_id": self.dealer_b.id})
        self.assertEqual(message.prm_dealer_id, self.dealer_a1)

    def test_notifications_to_portal_followers_carry_no_tracking(self):
        """E-mail and inbox notifications of a tracked change."""
        lead = self.lead.sudo(self.tm_a).with_context(
            tracking_disable=False, mail_notify_force_send=False)
        lead.message_subscribe(partner_ids=[self.director.partner_id.id,
                                            self.manager.partner_id.id])
        self.director.notification_type = "email"
        self.manager.notification_type = "email"
        lead.message_post(
            body="Revenue changed", subtype="mail.mt_comment",
            message_type="comment", tracking_value_ids=[(0, 0, {
                "field": "planned_revenue", "field_desc": "Expected Revenue",
                "field_type": "float", "old_value_float": REVENUE,
                "new_value_float": REVENUE + 1})])
        mails = self.env["mail.mail"].sudo().search([
            ("mail_message_id", "in", self.env["mail.message"].sudo().search(
                self.domain).ids)])
        to_director = mails.filtered(
            lambda m: self.director.partner_id in m.recipient_ids)
        to_manager = mails.filtered(
            lambda m: self.manager.partner_id in m.recipient_ids)
        self.assertTrue(to_director and to_manager)
        self.assertNotIn(str(REVENUE + 1), "".join(to_director.mapped("body_html")))
        self.assertIn(str(REVENUE + 1), "".join(to_manager.mapped("body_html")))
