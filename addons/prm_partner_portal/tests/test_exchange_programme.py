"""The dealer exchange keeps its invariant "a member's company takes part in
the partner programme" (issue 22, follow-up of review8 finding 6).

Head office sets a dealer to prospect, suspended or terminated: its
contacts leave every exchange channel (a note on the dealer names who did
it), adding them back is refused on every path, an active dealer and
internal users are unaffected; a membership row left behind (written by
SQL) still opens nothing (defence in depth).
"""
from odoo.exceptions import AccessError, ValidationError

from .common import PrmCase

REFUSED = "does not take part in the partner programme"


class TestExchangeOutsideTheProgramme(PrmCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Channel = cls.env["mail.channel"]
        cls.members = (cls.director_a1 | cls.bookkeeper_a1 | cls.director_b
                       | cls.employee).mapped("partner_id")
        cls.channel = Channel.create({
            "name": "T Exchange", "public": "private", "prm_is_exchange": True,
            "channel_partner_ids": [(4, p.id) for p in cls.members]})
        cls.other = Channel.create({
            "name": "T Exchange 2", "public": "private", "prm_is_exchange": True,
            "channel_partner_ids": [(4, cls.director_a1.partner_id.id)]})
        cls.plain = Channel.create({"name": "T Plain", "public": "private"})
        cls.message = cls.channel.sudo(cls.manager).message_post(
            body="<p>Nur für Mitglieder</p>", message_type="comment",
            subtype="mail.mt_comment")

    def member_partners(self, channel):
        channel.invalidate_cache()  # m2m writes leave the one2many cached
        return channel.sudo().channel_last_seen_partner_ids.mapped("partner_id")

    def set_state(self, state, dealer=None):
        (dealer or self.dealer_a1).sudo(self.manager).write({"prm_state": state})

    def test_leaving_the_programme_removes_the_memberships(self):
        for state in ("suspended", "prospect", "terminated"):
            with self.subTest(state=state):
                a1 = self.director_a1.partner_id | self.bookkeeper_a1.partner_id
                self.set_state("active")
                self.channel.write({"channel_partner_ids": [
                    (4, p.id) for p in self.members]})
                self.other.write({"channel_partner_ids": [
                    (4, self.director_a1.partner_id.id)]})
                self.channel.message_subscribe(partner_ids=a1.ids)
                self.set_state(state)
                self.assertFalse(self.member_partners(self.channel) & a1)
                self.assertFalse(self.member_partners(self.other) & a1)
                # the active dealer, the employee and head office stay
                self.assertEqual(
                    self.member_partners(self.channel) & self.members,
                    self.director_b.partner_id | self.employee.partner_id)
                self.assertIn(self.manager.partner_id,
                              self.member_partners(self.channel))
                self.assertFalse(self.env["mail.followers"].search([
                    ("res_model", "=", "mail.channel"),
                    ("res_id", "=", self.channel.id),
                    ("partner_id", "in", a1.ids)]))
                note = self.dealer_a1.message_ids[:1]
                self.assertIn("T_Manager", note.body)
                self.assertIn("T Exchange 2", note.body)
                self.assertEqual(note.author_id, self.manager.partner_id)

    def test_dealer_flag_and_moving_a_contact_remove_too(self):
        outside = self.env["res.partner"].create({
            "name": "T Terminated", "is_company": True, "prm_is_dealer": True,
            "prm_state": "terminated"})
        self.director_b.partner_id.sudo(self.manager).write(
            {"parent_id": outside.id})
        self.assertNotIn(self.director_b.partner_id,
                         self.member_partners(self.channel))
        self.assertIn(self.director_a1.partner_id,
                      self.member_partners(self.channel))
        self.dealer_a1.sudo(self.manager).write({"prm_is_dealer": False})
        self.assertNotIn(self.director_a1.partner_id,
                         self.member_partners(self.channel))

    def test_adding_back_is_refused_on_every_path(self):
        self.set_state("terminated")
        partner = self.director_a1.partner_id
        channel = self.channel.sudo(self.manager)
        paths = {
            "channel_partner_ids": lambda: channel.write(
                {"channel_partner_ids": [(4, partner.id)]}),
            "members tab": lambda: channel.write({
                "channel_last_seen_partner_ids": [(0, 0, {"partner_id": partner.id})]}),
            "membership row": lambda: self.env["mail.channel.partner"].sudo(
                self.manager).create({"channel_id": self.channel.id,
                                      "partner_id": partner.id}),
            "Discuss invite": lambda: channel.channel_invite([partner.id]),
            "new exchange": lambda: self.env["mail.channel"].sudo(self.manager).create({
                "name": "T New", "prm_is_exchange": True,
                "channel_partner_ids": [(4, partner.id)]}),
            "becoming an exchange": lambda: self.plain.write({
                "channel_partner_ids": [(4, partner.id)], "prm_is_exchange": True}),
            "follower": lambda: channel.message_subscribe(partner_ids=[partner.id]),
            "as superuser": lambda: self.channel.sudo().write(
                {"channel_partner_ids": [(6, 0, (self.members | partner).ids)]}),
        }
        for name, path in paths.items():
            with self.subTest(path=name), \
                    self.assertRaises(ValidationError) as caught, \
                    self.env.cr.savepoint():
                path()
            self.assertIn(REFUSED, caught.exception.name)
            self.assertNotIn(partner, self.member_partners(self.channel))
        # a plain (non-exchange) channel takes anyone
        self.plain.write({"channel_partner_ids": [(4, partner.id)]})
        # re-activating adds nobody back; head office re-adds
        self.set_state("active")
        self.assertNotIn(partner, self.member_partners(self.channel))
        channel.write({"channel_partner_ids": [(4, partner.id)]})
        self.assertIn(partner, self.member_partners(self.channel))

    def test_refusal_in_german(self):
        self.set_state("suspended")
        with self.assertRaises(ValidationError) as caught:
            self.channel.sudo(self.manager).with_context(lang="de_DE").write(
                {"channel_partner_ids": [(4, self.director_a1.partner_id.id)]})
        self.assertIn("nimmt derzeit nicht am Partnerprogramm teil",
                      caught.exception.name)

    def test_active_dealer_and_employees_unaffected(self):
        self.set_state("terminated")
        new = self.env["res.users"].create({
            "name": "T Director B2", "login": "t_director_b2", "lang": "en_US",
            "groups_id": [(6, 0, [self.env.ref(
                "prm_partner_portal.group_prm_portal_director").id])],
            "partner_id": self.env["res.partner"].create({
                "name": "T Director B2", "parent_id": self.dealer_b.id}).id})
        self.channel.sudo(self.manager).write({"channel_partner_ids": [
            (4, new.partner_id.id), (4, self.tm_a.partner_id.id)]})
        self.assertTrue(self.channel.sudo(self.director_b)._prm_portal_channels())
        self.assertEqual(
            self.env["mail.message"].sudo(self.director_b).search(
                self.channel._prm_message_domain()), self.message)
        self.assertTrue(self.channel._prm_membership(self.employee.partner_id))

    def test_a_row_left_behind_opens_nothing(self):
        """Defence in depth: the invariant broken by SQL."""
        self.set_state("terminated")
        self.env.cr.execute(
            "INSERT INTO mail_channel_partner (channel_id, partner_id) "
            "VALUES (%s, %s)", (self.channel.id, self.director_a1.partner_id.id))
        self.env["ir.rule"].clear_caches()
        self.channel.invalidate_cache()
        director = self.director_a1
        Channel = self.env["mail.channel"].sudo(director)
        self.assertFalse(Channel._prm_portal_channels())
        self.assertFalse(Channel._prm_bus_subscriptions([self.channel.id]))
        self.assertFalse(self.channel._prm_membership(director.partner_id))
        self.assertFalse(Channel.search([("id", "=", self.channel.id)]))
        with self.assertRaises(AccessError):
            self.channel.sudo(director).channel_fetch_message()
        Message = self.env["mail.message"].sudo(director)
        self.assertFalse(Message.search([("model", "=", "mail.channel"),
                                         ("res_id", "=", self.channel.id)]))
        with self.assertRaises(AccessError):
            self.message.sudo(director).read(["body"])
        with self.assertRaises(AccessError):
            self.channel.sudo(director).message_post(
                body="hallo", message_type="comment", subtype="mail.mt_comment")
        # the row left behind does not block head office's other changes
        self.channel.sudo(self.manager).write(
            {"channel_partner_ids": [(4, self.tm_a.partner_id.id)]})
        self.assertIn(self.tm_a.partner_id, self.member_partners(self.channel))
