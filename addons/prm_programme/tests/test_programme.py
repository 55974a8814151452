"""Evaluation runs, head office's decisions, grace periods, history and
who sees what (ORM, in a rolled-back transaction on the demo network)."""
import datetime
import unittest

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests.common import SavepointCase

from odoo.addons.prm_partner_portal.lib import dealer_figures

from ..lib import tier_rules


class ProgrammeCase(SavepointCase):
    """Demo tiers with one criterion each: standard needs 1 certified
    technician, premium 5; figures are set through the technicians."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Users = cls.env["res.users"]
        if not Users.search_count([("login", "=", "director01")]):
            super().tearDownClass()
            raise unittest.SkipTest("needs the prm_demo network")
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.manager = Users.search([("login", "=", "prm.manager")])
        cls.tm = Users.search([("login", "=", "tm.nord")])
        cls.director = Users.search([("login", "=", "director01")])
        cls.dealer = cls.director.commercial_partner_id
        cls.other = Users.search([("login", "=", "director02")]).commercial_partner_id
        cls.premium = cls.env.ref("prm_partner_portal.tier_premium")
        cls.standard = cls.env.ref("prm_partner_portal.tier_standard")
        cls.service = cls.env.ref("prm_partner_portal.tier_service")
        cls.env["prm.tier.criterion"].search([]).unlink()
        cls.env["prm.tier.proposal"].search([]).unlink()
        cls.env["prm.tier.status"].search([]).unlink()
        for tier, minimum in ((cls.standard, 1), (cls.premium, 5)):
            cls.env["prm.tier.criterion"].create({
                "tier_id": tier.id, "criterion": "technicians", "threshold": minimum})
        cls.premium.grace_months = 6
        cls.standard.grace_months = 0
        (cls.dealer | cls.other).write({"prm_tier_id": cls.standard.id,
                                        "prm_state": "active",
                                        "prm_certified_technicians": 2})

    def run_evaluation(self, user=None, today=None):
        Evaluation = self.env["prm.tier.evaluation"]
        if today:
            return Evaluation._prm_run(today=today)
        return self.env["prm.tier.proposal"].sudo(user or self.manager) \
            .action_prm_run_evaluation()

    def open_proposal(self, dealer):
        return self.env["prm.tier.proposal"].search(
            [("partner_id", "=", dealer.id), ("state", "=", "proposed")])


class TestEvaluation(ProgrammeCase):

    def test_upgrade_confirmed_by_head_office_changes_tier_and_history(self):
        self.dealer.prm_certified_technicians = 6
        action = self.run_evaluation()
        self.assertEqual(action["res_model"], "prm.tier.proposal")
        proposal = self.open_proposal(self.dealer)
        self.assertEqual((proposal.direction, proposal.from_tier_id,
                          proposal.to_tier_id), ("up", self.standard, self.premium))
        reason = proposal.reason_ids
        self.assertEqual((reason.criterion, reason.value, reason.threshold,
                          reason.met), ("technicians", 6.0, 5.0, True))
        self.assertFalse(self.open_proposal(self.other), "a dealer on its tier")
        proposal.sudo(self.manager).action_confirm()
        self.assertEqual(self.dealer.prm_tier_id, self.premium)
        self.assertEqual(proposal.state, "applied")
        history = self.dealer.prm_tier_history_ids
        self.assertEqual((history.from_tier_id, history.to_tier_id,
                          history.changed_by_id, history.proposal_id),
                         (self.standard, self.premium, self.manager, proposal))
        self.assertEqual(history.reason_ids, proposal.reason_ids)

    def test_reject_keeps_tier_and_bulk_confirm(self):
        self.dealer.prm_certified_technicians = 6
        self.other.prm_certified_technicians = 0
        self.run_evaluation()
        up, down = self.open_proposal(self.dealer), self.open_proposal(self.other)
        self.assertEqual((down.direction, down.to_tier_id), ("down", self.service))
        self.assertEqual(down.reason_ids.mapped("met"), [False])
        up.sudo(self.manager).action_reject()
        self.assertEqual((up.state, self.dealer.prm_tier_id),
                         ("rejected", self.standard))
        with self.assertRaises(UserError):
            up.sudo(self.manager).action_confirm()
        # bulk: the list's action on several proposals at once
        self.dealer.prm_certified_technicians = 0
        self.run_evaluation()
        both = self.open_proposal(self.dealer) | self.open_proposal(self.other)
        self.assertEqual(len(both), 2)
        both.sudo(self.manager).action_confirm()
        self.assertEqual((self.dealer | self.other).mapped("prm_tier_id"),
                         self.service)

    def test_a_new_run_replaces_an_undecided_proposal(self):
        self.dealer.prm_certified_technicians = 6
        self.run_evaluation()
        first = self.open_proposal(self.dealer)
        self.dealer.prm_certified_technicians = 2
        self.run_evaluation()
        self.assertEqual(first.state, "cancelled")
        self.assertFalse(self.open_proposal(self.dealer))

    def test_downgrade_with_grace_period(self):
        self.dealer.write({"prm_tier_id": self.premium.id,
                           "prm_certified_technicians": 2})
        self.run_evaluation()
        proposal = self.open_proposal(self.dealer)
        self.assertEqual(proposal.to_tier_id, self.standard)
        proposal.sudo(self.manager).action_confirm()
        self.assertEqual(proposal.state, "grace")
        self.assertEqual(self.dealer.prm_tier_id, self.premium, "kept in grace")
        today = datetime.date.today()
        status = self.env["prm.tier.status"].search(
            [("partner_id", "=", self.dealer.id)])
        self.assertEqual(status.grace_until, proposal.grace_until)
        self.assertEqual(status.grace_tier_id, self.standard)
        self.assertGreater(proposal.grace_until, str(today + datetime.timedelta(
            days=150)))
        # a run during the grace period changes nothing
        self.run_evaluation()
        self.assertEqual((proposal.state, self.dealer.prm_tier_id),
                         ("grace", self.premium))
        self.assertFalse(self.open_proposal(self.dealer))
        # after it: the downgrade takes effect, with history
        later = datetime.date(today.year + 1, today.month, 1)
        self.run_evaluation(today=later)
        self.assertEqual((proposal.state, self.dealer.prm_tier_id),
                         ("applied", self.standard))
        self.assertEqual(self.dealer.prm_tier_history_ids[0].proposal_id, proposal)
        self.assertFalse(status.grace_until)

    def test_grace_ends_when_the_dealer_qualifies_again(self):
        self.dealer.write({"prm_tier_id": self.premium.id,
                           "prm_certified_technicians": 2})
        self.run_evaluation()
        proposal = self.open_proposal(self.dealer)
        proposal.sudo(self.manager).action_confirm()
        self.dealer.prm_certified_technicians = 5
        self.run_evaluation()
        self.assertEqual((proposal.state, self.dealer.prm_tier_id),
                         ("cancelled", self.premium))

    def test_tier_set_by_hand_is_in_the_history(self):
        self.dealer.sudo(self.manager).prm_tier_id = self.premium
        history = self.dealer.prm_tier_history_ids[0]
        self.assertEqual((history.to_tier_id, history.changed_by_id,
                          history.proposal_id.id), (self.premium, self.manager, False))


class TestProgrammeAccess(ProgrammeCase):

    def test_only_head_office_evaluates_and_decides(self):
        self.dealer.prm_certified_technicians = 6
        for user in (self.tm, self.director):
            with self.assertRaises(AccessError):
                self.run_evaluation(user)
        self.run_evaluation()
        proposal = self.open_proposal(self.dealer)
        for method in ("action_confirm", "action_reject"):
            with self.assertRaises(AccessError):
                getattr(proposal.sudo(self.tm), method)()
        self.assertEqual(proposal.state, "proposed")

    def test_only_head_office_changes_certified_technicians(self):
        with self.assertRaises(AccessError):
            self.dealer.sudo(self.tm).prm_certified_technicians = 9
        self.dealer.sudo(self.manager).prm_certified_technicians = 9
        self.assertEqual(self.dealer.prm_certified_technicians, 9)

    def test_director_sees_only_his_own_status(self):
        self.run_evaluation()
        Status = self.env["prm.tier.status"].sudo(self.director)
        self.assertEqual(Status.search([]).mapped("partner_id"), self.dealer)
        foreign = self.env["prm.tier.status"].search(
            [("partner_id", "=", self.other.id)])
        with self.assertRaises(AccessError):
            foreign.sudo(self.director).read(["value_technicians"])
        # the bookkeeper reads the own company's row too (tier card)
        bookkeeper = self.env["res.users"].search([
            ("login", "=like", "bookkeeper%"),
            ("commercial_partner_id", "=", self.dealer.id)], limit=1)
        if bookkeeper:
            self.assertEqual(Status.sudo(bookkeeper).search([]).mapped(
                "partner_id"), self.dealer)
            self.assertTrue(Status.sudo(bookkeeper)._prm_card(self.dealer))
            self.assertIsNone(Status.sudo(bookkeeper)._prm_card(self.other))
        for model in ("prm.tier.proposal", "prm.tier.history",
                      "prm.tier.criterion", "prm.tier.proposal.reason"):
            with self.assertRaises(AccessError):
                self.env[model].sudo(self.director).search([])


class TestTierChangeMail(ProgrammeCase):
    """A confirmed tier change reaches the dealer's managing directors by
    mail, each in his own language, with old and new tier and reasons."""

    def setUp(self):
        super().setUp()
        self.other_director = self.env["res.users"].search(
            [("login", "=", "director02")])
        self.director.write({"lang": "de_DE"})
        self.other_director.write({"lang": "en_US"})
        self.last_mail = self.env["mail.mail"].search(
            [], order="id desc", limit=1).id or 0

    def mails_to(self, user):
        return self.env["mail.mail"].search([
            ("id", ">", self.last_mail), ("model", "=", "res.users"),
            ("res_id", "=", user.id)])

    def tier_name(self, tier, lang):
        return tier.with_context(lang=lang).name

    def test_confirmed_upgrade_is_mailed_in_each_directors_language(self):
        (self.dealer | self.other).write({"prm_certified_technicians": 6})
        self.run_evaluation()
        proposals = self.open_proposal(self.dealer) | self.open_proposal(self.other)
        self.assertFalse(self.mails_to(self.director), "no mail before the decision")
        proposals.sudo(self.manager).action_confirm()
        german, english = self.mails_to(self.director), self.mails_to(
            self.other_director)
        self.assertEqual((len(german), len(english)), (1, 1))
        self.assertEqual(german.subject, "Ihre Partnerstufe: %s" % self.tier_name(
            self.premium, "de_DE"))
        self.assertIn("Guten Tag", german.body_html)
        self.assertIn(self.tier_name(self.standard, "de_DE"), german.body_html)
        self.assertIn("Zertifizierte Techniker", german.body_html)
        self.assertIn("erfüllt", german.body_html)
        self.assertEqual(english.subject, "Your partner tier: %s" % self.tier_name(
            self.premium, "en_US"))
        self.assertIn("Dear", english.body_html)
        self.assertIn("Certified technicians: 6, minimum 5 (met)",
                      english.body_html)
        self.assertNotIn("Guten Tag", english.body_html)

    def test_bookkeepers_get_the_tier_mail_too(self):
        """Bookkeepers see the tier card: the change reaches them too."""
        bookkeeper = self.env["res.users"].search(
            [("commercial_partner_id", "=", self.dealer.id), ("share", "=", True),
             ("groups_id", "in", self.env.ref(
                 "prm_partner_portal.group_prm_portal_bookkeeper").ids)], limit=1)
        self.assertTrue(bookkeeper, "the demo dealer has a bookkeeper")
        self.dealer.write({"prm_certified_technicians": 6})
        self.run_evaluation()
        self.open_proposal(self.dealer).sudo(self.manager).action_confirm()
        self.assertEqual(len(self.mails_to(bookkeeper)), 1)

    def test_grace_downgrade_is_mailed_when_it_takes_effect(self):
        self.dealer.write({"prm_tier_id": self.premium.id,
                           "prm_certified_technicians": 2})
        self.run_evaluation()
        self.open_proposal(self.dealer).sudo(self.manager).action_confirm()
        self.assertFalse(self.mails_to(self.director), "the tier did not change yet")
        today = datetime.date.today()
        self.run_evaluation(today=datetime.date(today.year + 1, today.month, 1))
        mail = self.mails_to(self.director)
        self.assertEqual(len(mail), 1)
        self.assertIn("nicht erfüllt", mail.body_html)

    def test_directors_notification_setting_is_respected(self):
        if "prm_notify_tier" not in self.env["res.users"]._fields:
            self.skipTest("prm_documents (notification settings) not installed")
        self.director.write({"prm_notify_tier": "off"})
        self.other_director.write({"prm_notify_tier": "digest"})
        (self.dealer | self.other).write({"prm_certified_technicians": 6})
        self.run_evaluation()
        (self.open_proposal(self.dealer) | self.open_proposal(self.other)).sudo(
            self.manager).action_confirm()
        self.assertFalse(self.mails_to(self.director) | self.mails_to(
            self.other_director))
        line = self.env["prm.mail.digest.line"].search([
            ("user_id", "=", self.other_director.id), ("sent", "=", False),
            ("kind", "=", "prm_notify_tier")])
        self.assertEqual(len(line), 1)
        self.assertIn("Your partner tier", line.subject)


class TestTrend(ProgrammeCase):
    """The run stores the figures of the comparison day (a quarter before,
    the same definitions) and the card shows the trend against them."""

    def feedback(self, rating, answered_on):
        lead = self.env["crm.lead"].search(
            [("partner_assigned_id", "=", self.dealer.id)], limit=1)
        self.assertTrue(lead, "the demo dealer has forwarded leads")
        return self.env["prm.lead.feedback"].create({
            "lead_id": lead.id, "partner_id": self.dealer.id, "rating": rating,
            "state": "answered", "answered_on": answered_on})

    def test_previous_figures_are_the_comparison_days_and_trend_follows(self):
        self.env["prm.tier.criterion"].create({
            "tier_id": self.premium.id, "criterion": "satisfaction",
            "threshold": 4.5})
        Evaluation = self.env["prm.tier.evaluation"]
        today = Evaluation._prm_today()
        before = tier_rules.comparison_day(today)
        # answered yesterday (after the comparison day): only today's
        # window holds it; five one-star ratings pull the average down
        for _ in range(5):
            self.feedback(1, fields.Datetime.to_string(
                datetime.datetime.utcnow() - datetime.timedelta(days=1)))
        Evaluation._prm_run(today=today)
        status = self.env["prm.tier.status"].search(
            [("partner_id", "=", self.dealer.id)])
        self.assertEqual(status.previous_on, fields.Date.to_string(before))
        expected = Evaluation._prm_figures(self.dealer, before, history=True)
        self.assertEqual(status._prm_values(previous=True), expected[self.dealer.id])
        self.assertIsNone(status._prm_values(previous=True)["technicians"],
                          "technicians have no history")
        self.assertEqual(status._prm_values(), Evaluation._prm_figures(
            self.dealer, today)[self.dealer.id])
        now, then = (status._prm_values()["satisfaction"],
                     status._prm_values(previous=True)["satisfaction"])
        self.assertIsNotNone(now)
        rows = {row["criterion"]: row for row in self.env["prm.tier.status"]
                .sudo(self.director)._prm_card(self.dealer)["rows"]}
        self.assertEqual(rows["technicians"]["previous"], "–")
        self.assertEqual(rows["technicians"]["trend"], "")
        if then is None:
            self.assertEqual(rows["satisfaction"]["trend"], "")
        else:
            self.assertLess(now, then, "the one-star ratings count today only")
            self.assertEqual(rows["satisfaction"]["trend"], "▼")

    def test_window_of_the_comparison_day_ends_with_that_day(self):
        """A rating answered after the comparison day is not in its figure;
        one answered on it is (00:00 Berlin of the next day ends it)."""
        Evaluation = self.env["prm.tier.evaluation"]
        today = Evaluation._prm_today()
        before = tier_rules.comparison_day(today)
        self.env["prm.lead.feedback"].search(
            [("partner_id", "=", self.dealer.id)]).write({"state": "pending"})
        end = dealer_figures.window_end_utc(before)
        self.feedback(5, fields.Datetime.to_string(
            end - datetime.timedelta(seconds=1)))
        self.feedback(1, fields.Datetime.to_string(end))
        figures = Evaluation._prm_figures(self.dealer, before, history=True)
        self.assertEqual(figures[self.dealer.id]["satisfaction"], 5.0)
        figures = Evaluation._prm_figures(self.dealer, today)
        self.assertEqual(figures[self.dealer.id]["satisfaction"], 3.0)


class TestWithoutCriteria(ProgrammeCase):

    def test_no_evaluation_before_head_office_sets_criteria(self):
        """Without criteria every tier would be open to all: the cron does
        nothing and the button says what is missing."""
        self.env["prm.tier.criterion"].search([]).unlink()
        self.assertEqual(self.env["prm.tier.evaluation"]._prm_run(), 0)
        self.assertFalse(self.env["prm.tier.proposal"].search([]))
        with self.assertRaises(UserError):
            self.run_evaluation()
