"""Deal registration through the ORM: registration, conflicts, decisions,
deadline in business hours, escalation and expiry with a controllable clock,
and what a dealer may read (also through crm.lead and mail.message)."""
import datetime

from odoo.exceptions import AccessError, UserError

from odoo.addons.prm_partner_portal.tests.common import PrmCase

from ..lib import dealreg

# Monday 2026-11-30 09:00 Berlin = 08:00 UTC
MONDAY = datetime.datetime(2026, 11, 30, 8, 0)


class DealCase(PrmCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create(
            {"name": "T Harvester", "sale_ok": True})
        Param = cls.env["ir.config_parameter"]
        for key, value in (("deadline_hours", 8), ("protection_days", 30),
                           ("window_days", 365), ("similarity_percent", 85)):
            Param.set_param("prm_deal_registration.%s" % key, value)
        # a plain Mon-Fri 08:00-12:00 / 13:00-17:00 calendar, Berlin time
        calendar = cls.env.user.company_id.resource_calendar_id
        calendar.attendance_ids.unlink()
        calendar.write({"attendance_ids": [
            (0, 0, {"name": "T", "dayofweek": str(day), "hour_from": start,
                    "hour_to": end})
            for day in range(5) for start, end in ((8, 12), (13, 17))]})
        for user in (cls.director_a1, cls.director_b):
            user.tz = "Europe/Berlin"

    def register(self, director, now=MONDAY, **changes):
        post = {"customer_name": "Müller Agrar GmbH",
                "customer_street": "Hauptstraße 5", "customer_zip": "24103",
                "customer_city": "Kiel", "customer_vat": "DE123456789",
                "expected_volume": "12.500,00", "expected_date": "2027-03-31",
                "product_id_0": str(self.product.id), "quantity_0": "2"}
        post.update(changes)
        values = dealreg.clean_registration(post, self.product.ids,
                                            now.date())
        return self.env["prm.deal.registration"].with_context(
            prm_now=now).sudo()._prm_register(director, values)


class TestDealRegistration(DealCase):

    def test_register_sets_deadline_in_business_hours(self):
        deal = self.register(self.director_a1,
                             now=datetime.datetime(2026, 12, 4, 14, 0))
        # Friday 15:00 Berlin + 8 business hours: 2 h Friday, 6 h Monday
        # (8-12, 13-15) -> Monday 15:00 Berlin = 14:00 UTC
        self.assertEqual(deal.deadline, "2026-12-07 14:00:00")
        self.assertEqual(deal.dealer_id, self.dealer_a1)
        self.assertEqual(deal.expected_volume, 12500.0)
        self.assertEqual(deal.state, "submitted")
        self.assertFalse(deal.has_conflict)

    def test_second_dealer_gets_the_conflict_without_a_name(self):
        first = self.register(self.director_a1)
        second = self.register(self.director_b, customer_vat="",
                               customer_name="MUELLER Agrar GmbH & Co. KG",
                               customer_street="Hauptstr. 5")
        self.assertFalse(first.has_conflict)
        self.assertTrue(second.has_conflict)
        self.assertEqual(second.conflict_ids.mapped("res_id"), [first.id])
        self.assertIn("T Dealer A1", second.conflict_ids.name)
        # the approver (tm_b manages dealer B) sees the conflict lines
        as_tm = second.sudo(self.tm_b)
        self.assertIn("T Dealer A1", as_tm.conflict_ids.name)
        # the second dealer sees the flag, never the other dealer
        as_dealer = self.env["prm.deal.registration"].sudo(self.director_b)
        mine = as_dealer.search([])
        self.assertEqual(mine, second)
        data = mine.read()[0]
        self.assertNotIn("conflict_ids", data)
        self.assertTrue(data["has_conflict"])
        self.assertNotIn("Dealer A1", str(data))
        with self.assertRaises(AccessError):
            mine.read(["conflict_ids"])
        with self.assertRaises(AccessError):
            self.env["prm.deal.conflict"].sudo(self.director_b).search([])
        messages = self.env["mail.message"].sudo(self.director_b).search(
            [("model", "=", "prm.deal.registration"), ("res_id", "=", second.id)])
        self.assertTrue(messages)
        self.assertNotIn("Dealer A1", " ".join(messages.mapped("body")))
        self.assertIn("conflicts with an existing registration",
                      " ".join(messages.mapped("body")))
        # ...while the internal note names it for the approver
        notes = self.env["mail.message"].search(
            [("model", "=", "prm.deal.registration"), ("res_id", "=", second.id)])
        self.assertIn("Dealer A1", " ".join(notes.mapped("body")))
        # no mail to the dealer names the other one
        mails = self.env["mail.mail"].search([("model", "=", second._name),
                                              ("res_id", "=", second.id)])
        self.assertNotIn("Dealer A1", " ".join(mails.mapped("body_html")))

    def test_dealer_never_reads_another_dealers_registration(self):
        other = self.register(self.director_b)
        Registration = self.env["prm.deal.registration"].sudo(self.director_a1)
        self.assertFalse(Registration.search([]))
        with self.assertRaises(AccessError):
            Registration.browse(other.id).read(["customer_name"])
        with self.assertRaises(AccessError):
            Registration.create({"dealer_id": self.dealer_a1.id,
                                 "customer_name": "X"})
        with self.assertRaises(AccessError):
            Registration.browse(other.id).write({"state": "approved"})
        self.assertFalse(self.env["mail.message"].sudo(self.director_a1).search(
            [("model", "=", other._name), ("res_id", "=", other.id)]))
        # territory manager of region A does not see dealer B's either
        self.assertFalse(self.env["prm.deal.registration"].sudo(self.tm_a).search(
            [("id", "=", other.id)]))
        # ...and the approved opportunity stays dealer B's
        other.sudo(self.tm_b)._prm_decide(True, "fine")
        self.assertFalse(self.env["crm.lead"].sudo(self.director_a1).search(
            [("id", "=", other.lead_id.id)]))
        self.assertFalse(self.env["mail.message"].sudo(self.director_a1).search(
            [("model", "=", "crm.lead"), ("res_id", "=", other.lead_id.id)]))

    def test_approval_creates_the_dealers_opportunity(self):
        deal = self.register(self.director_a1)
        with self.assertRaises(UserError):
            deal.sudo(self.tm_a)._prm_decide(True, "  ")
        with self.assertRaises(AccessError):
            deal.sudo(self.tm_b)._prm_decide(True, "not my dealer")
        with self.assertRaises(AccessError):
            deal.sudo(self.director_a1)._prm_decide(True, "self-approval")
        deal.sudo(self.tm_a).with_context(prm_now=MONDAY)._prm_decide(
            True, "Good customer")
        self.assertEqual(deal.state, "approved")
        self.assertEqual(deal.protected_until, "2026-12-30")
        lead = deal.lead_id
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.partner_assigned_id, self.dealer_a1)
        self.assertEqual(lead.planned_revenue, 12500.0)
        # the dealer sees it on /my/leads (record rule of the forwarded leads)
        self.assertEqual(self.env["crm.lead"].sudo(self.director_a1).search(
            [("id", "=", lead.id)]), lead)
        with self.assertRaises(UserError):
            deal.sudo(self.tm_a)._prm_decide(False, "again")
        bodies = " ".join(deal.message_ids.mapped("body"))
        self.assertIn("was approved", bodies)

    def test_rejection_needs_reason_and_tells_the_dealer(self):
        deal = self.register(self.director_a1)
        wizard = self.env["prm.deal.decision"].sudo(self.tm_a).create(
            {"registration_id": deal.id, "reason": "Already served by head office"})
        wizard.action_reject()
        self.assertEqual(deal.state, "rejected")
        self.assertFalse(deal.lead_id)
        messages = self.env["mail.message"].sudo(self.director_a1).search(
            [("model", "=", deal._name), ("res_id", "=", deal.id)])
        self.assertIn("Already served by head office",
                      " ".join(messages.mapped("body")))

    def test_mail_in_the_dealers_language(self):
        if not self.env["res.lang"].search([("code", "=", "de_DE")]):
            self.skipTest("German is not installed")
        self.director_a1.lang = "de_DE"
        deal = self.register(self.director_a1)
        message = deal.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("mail.mt_comment"))
        self.assertTrue(message)
        self.assertIn("Wir haben Ihre Deal-Registrierung", message[0].body)

    def test_escalation_at_the_deadline_with_the_given_clock(self):
        deal = self.register(self.director_a1)
        Registration = self.env["prm.deal.registration"]
        # deadline: Monday 09:00 + 8 business hours = Monday 18:00? no:
        # 09-12 (3 h) + 13-17 (4 h) + Tuesday 08-09 (1 h) = Tue 09:00 Berlin
        self.assertEqual(deal.deadline, "2026-12-01 08:00:00")
        Registration._cron_prm_deal_registrations(now="2026-12-01 07:59:00")
        self.assertFalse(deal.escalated)
        Registration._cron_prm_deal_registrations(now="2026-12-01 08:00:00")
        self.assertTrue(deal.escalated)
        # in head office's language (the company's: German in the demo)
        self.assertIn("an die Zentrale eskaliert",
                      " ".join(deal.message_ids.mapped("body")))
        # escalation is internal: the dealer does not read it
        self.assertNotIn("eskaliert", " ".join(
            self.env["mail.message"].sudo(self.director_a1).search(
                [("model", "=", deal._name),
                 ("res_id", "=", deal.id)]).mapped("body")))
        # head office still decides
        deal.sudo(self.manager)._prm_decide(True, "Head office approves")
        self.assertEqual(deal.state, "approved")

    def test_protection_expires_unless_won(self):
        won = self.register(self.director_a1)
        lapsed = self.register(self.director_a1, customer_vat="",
                               customer_name="Other Farm", customer_zip="10115",
                               customer_city="Berlin")
        for deal in won | lapsed:
            deal.sudo(self.tm_a).with_context(prm_now=MONDAY)._prm_decide(
                True, "ok")
        won.lead_id.probability = 100
        Registration = self.env["prm.deal.registration"]
        Registration._cron_prm_deal_registrations(now="2026-12-30 12:00:00")
        self.assertEqual(lapsed.state, "approved")
        Registration._cron_prm_deal_registrations(now="2026-12-31 00:00:01")
        self.assertEqual(won.state, "converted")
        self.assertEqual(lapsed.state, "expired")

    def test_protection_days_are_berlins_not_the_directors_time_zone(self):
        """fix9a (kind of review9 F1): the director sets his own time zone;
        it must not move the end of his protection. Approved on 1 December
        00:30 Berlin (30 November in Pago Pago): 30 days end on 31 December
        and expire when 1 January has begun in Berlin."""
        self.director_a1.tz = "Pacific/Pago_Pago"
        deal = self.register(self.director_a1)
        deal.sudo(self.tm_a).with_context(
            prm_now="2026-11-30 23:30:00")._prm_decide(True, "ok")
        self.assertEqual(deal.protected_until, "2026-12-31")
        Registration = self.env["prm.deal.registration"]
        Registration._cron_prm_deal_registrations(now="2026-12-31 22:59:00")
        self.assertEqual(deal.state, "approved")
        Registration._cron_prm_deal_registrations(now="2026-12-31 23:00:01")
        self.assertEqual(deal.state, "expired")

    def test_conflict_with_existing_lead_and_customer(self):
        self.env["res.partner"].create({
            "name": "Müller Agrar GmbH", "is_company": True,
            "zip": "24103", "city": "Kiel", "vat": "DE123456789"})
        self.env["crm.lead"].create({
            "name": "Inquiry", "partner_name": "Mueller Agrar", "zip": "24103",
            "city": "Kiel"})
        deal = self.register(self.director_a1)
        self.assertEqual(sorted(deal.conflict_ids.mapped("res_model")),
                         ["crm.lead", "res.partner"])
        self.assertTrue(deal.has_conflict)

    def test_head_office_sets_the_rules_in_settings(self):
        from ..models.prm_deal_registration import rule
        self.env["res.config.settings"].create({
            "prm_deal_protection_days": 45, "prm_deal_deadline_hours": 24,
            "prm_deal_window_days": 180, "prm_deal_similarity": 90}).execute()
        self.assertEqual([rule(self.env, key) for key in (
            "protection_days", "deadline_hours", "window_days", "threshold")],
            [45, 24, 180, 90])
        deal = self.register(self.director_a1)
        deal.sudo(self.tm_a).with_context(prm_now=MONDAY)._prm_decide(True, "ok")
        self.assertEqual(deal.protected_until, "2027-01-14")

    def test_settings_refuse_zero_and_non_administrators(self):
        settings = self.env["res.config.settings"].create(
            {"prm_deal_protection_days": 0})
        with self.assertRaises(UserError):
            settings.execute()
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.prm_deal_protection_days, 30)
        with self.assertRaises(AccessError):
            settings.sudo(self.manager).set_values()

    def test_unset_rules_fall_back_to_their_defaults(self):
        """An unset parameter is False, and int(False) == 0 made every
        conflict check compare with a 0-day window (found by test_deals)."""
        from ..models.prm_deal_registration import PARAMS, rule
        Param = self.env["ir.config_parameter"]
        for key, (param, default) in PARAMS.items():
            Param.set_param(param, False)
            self.assertEqual(rule(self.env, key), default, key)
        deal = self.register(self.director_a1)
        other = self.register(self.director_b)
        self.assertFalse(deal.has_conflict)
        self.assertTrue(other.has_conflict)


class TestDealerOutsideTheProgramme(DealCase):
    """Review8 finding 6: a dealer that is not active registers nothing."""

    def test_no_registration_unless_active(self):
        dealer = self.director_a1.commercial_partner_id
        Registration = self.env["prm.deal.registration"].sudo()
        before = Registration.search_count([("dealer_id", "=", dealer.id)])
        for state in ("suspended", "terminated", "prospect"):
            dealer.prm_state = state
            with self.assertRaises(UserError):
                self.register(self.director_a1)
            self.assertEqual(Registration.search_count(
                [("dealer_id", "=", dealer.id)]), before, state)
        dealer.prm_state = "active"
        self.assertTrue(self.register(self.director_a1))
