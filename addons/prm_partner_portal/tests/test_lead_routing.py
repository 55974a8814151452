"""Automatic lead routing, deadlines in business hours, escalation and
recall with a controllable clock (context key ``prm_now``), and the
acceptance figures (ORM)."""
import datetime

from odoo import fields

from .common import PrmCase

UTC = datetime.datetime


def stamp(moment):
    return fields.Datetime.to_string(moment)


class RoutingCase(PrmCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["prm.routing.rule"].search([]).write({"active": False})
        Calendar = env["resource.calendar"]
        # Mon-Fri 8-12 and 13-17 (Odoo's default attendances), Berlin time
        cls.cal_by = Calendar.create({"name": "T Bayern", "prm_holiday_state": "BY"})
        cls.cal_be = Calendar.create({"name": "T Berlin", "prm_holiday_state": "BE"})
        (cls.cal_by | cls.cal_be).action_prm_fill_holidays([2026])
        cls.dealer_a1.prm_calendar_id = cls.cal_by
        cls.dealer_a2.prm_calendar_id = cls.cal_be
        cls.dealer_b.prm_calendar_id = cls.cal_be
        cls.line_mower = env["prm.product.line"].create(
            {"name": "T Mowers", "code": "t-mower"})
        cls.dealer_a2.prm_product_line_ids = cls.line_mower
        cls.touchpoint = env["prm.touchpoint"].create({
            "name": "T web form", "code": "t-web", "target_response_hours": 16,
            "accept_hours": 8, "reminder_hours": 1, "recall_hours": 8})
        Rule = env["prm.routing.rule"]
        cls.rule_b = Rule.create({
            "name": "T north postcodes", "sequence": 1, "zip_prefixes": "20, 21",
            "territory_ids": [(6, 0, cls.region_b.ids)]})
        cls.rule_mower = Rule.create({
            "name": "T mowers in A", "sequence": 2, "match_product_line": True,
            "territory_ids": [(6, 0, cls.region_a.ids)]})
        cls.rule_a = Rule.create({
            "name": "T region A", "sequence": 3,
            "territory_ids": [(6, 0, cls.region_a.ids)]})

    def new_lead(self, now, **values):
        vals = {"name": "T inquiry", "zip": "80331",
                "prm_touchpoint_id": self.touchpoint.id}
        vals.update(values)
        return self.env["crm.lead"].with_context(prm_now=stamp(now)).create(vals)

    def history(self, lead):
        return "\n".join(lead.message_ids.mapped("body"))


class TestRouting(RoutingCase):

    def test_rules_in_order_rule_shown_and_logged(self):
        now = UTC(2026, 1, 12, 9)
        north = self.new_lead(now, zip="20095")
        self.assertEqual(north.partner_assigned_id, self.dealer_b)
        self.assertEqual(north.prm_routing_rule_id, self.rule_b)
        self.assertEqual(north.prm_dealer_state, "pending")
        self.assertEqual(north.prm_forwarded_date, stamp(now))
        self.assertIn("T north postcodes", self.history(north))
        mower = self.new_lead(now, prm_product_line_id=self.line_mower.id)
        self.assertEqual((mower.partner_assigned_id, mower.prm_routing_rule_id),
                         (self.dealer_a2, self.rule_mower))
        # round robin within region A: A1 never had a lead, then A2's turn
        first = self.new_lead(now)
        second = self.new_lead(now + datetime.timedelta(minutes=1))
        self.assertEqual(first.partner_assigned_id, self.dealer_a1)
        self.assertEqual(second.partner_assigned_id, self.dealer_a2)
        self.assertEqual(first.prm_routing_ids.rule_id, self.rule_a)

    def test_given_dealer_or_no_touchpoint_is_not_routed(self):
        lead = self.env["crm.lead"].create({"name": "T by hand", "zip": "80331"})
        self.assertFalse(lead.partner_assigned_id)
        given = self.new_lead(UTC(2026, 1, 12, 9),
                              partner_assigned_id=self.dealer_b.id)
        self.assertFalse(given.prm_routing_rule_id)
        self.assertFalse(given.prm_forwarded_date)

    def test_no_dealer_left_stays_with_head_office(self):
        (self.rule_mower | self.rule_a).write({"active": False})
        lead = self.new_lead(UTC(2026, 1, 12, 9))
        self.assertFalse(lead.partner_assigned_id)
        self.assertIn("No routing rule found a dealer", self.history(lead))

    def test_import_routes_its_leads_as_one_batch_like_one_by_one(self):
        # an import (load) routes its new leads together: same dealers in
        # row order as one by one (round robin counted within the batch),
        # each lead with its own dealer's calendar (Mon 5 Jan 2026 16:00
        # Berlin; 6 Jan is a holiday in Bavaria only), history, forwarding
        now = UTC(2026, 1, 5, 15)
        Lead = self.env["crm.lead"].with_context(prm_now=stamp(now))
        touchpoint = str(self.touchpoint.id)
        result = Lead.load(["name", "zip", "prm_touchpoint_id/.id"], [
            ["T north", "20095", touchpoint], ["T first", "80331", touchpoint],
            ["T second", "80331", touchpoint], ["T third", "80331", touchpoint]])
        leads = Lead.browse(result["ids"])
        self.assertEqual(leads.mapped("partner_assigned_id").ids, [
            self.dealer_b.id, self.dealer_a1.id, self.dealer_a2.id])
        self.assertEqual(leads[3].partner_assigned_id, self.dealer_a1)
        self.assertEqual(leads.mapped("prm_routing_rule_id"),
                         self.rule_b | self.rule_a)
        self.assertEqual(leads[1].prm_accept_deadline, stamp(UTC(2026, 1, 7, 15)))
        self.assertEqual(leads[2].prm_accept_deadline, stamp(UTC(2026, 1, 6, 15)))
        for lead in leads:
            self.assertEqual(lead.prm_dealer_state, "pending")
            self.assertEqual(lead.prm_forwarded_date, stamp(now))
            self.assertEqual(lead.prm_forwarded_dealer_id, lead.partner_assigned_id)
            self.assertEqual(len(lead.prm_routing_ids), 1)
            self.assertIn(lead.partner_assigned_id.name, self.history(lead))
        forwardings = leads.mapped("prm_routing_ids").sorted("id")
        self.assertEqual(forwardings.mapped("lead_id"), leads)
        # a failing import routes nothing
        failed = Lead.load(["name", "prm_touchpoint_id/.id"],
                           [["T broken", "not a number"]])
        self.assertFalse(failed["ids"])


class TestDeadlines(RoutingCase):

    def deadline(self, dealer, forwarded):
        self.rule_a.territory_ids = dealer.prm_territory_id
        lead = self.new_lead(forwarded)
        self.assertEqual(lead.partner_assigned_id, dealer)
        return fields.Datetime.from_string(lead.prm_accept_deadline)

    def test_holiday_of_one_state_not_the_other(self):
        # Mon 5 Jan 2026 16:00 Berlin; 6 Jan (Epiphany) is a holiday in Bavaria
        forwarded = UTC(2026, 1, 5, 15)
        self.assertEqual(self.deadline(self.dealer_a2, forwarded),
                         UTC(2026, 1, 6, 15))        # Berlin: Tue 16:00
        self.assertEqual(self.deadline(self.dealer_a1, forwarded),
                         UTC(2026, 1, 7, 15))        # Bavaria: Wed 16:00

    def test_daylight_saving_change(self):
        # Fri 27 Mar 2026 16:00 CET; clocks go forward on Sunday 29 March:
        # 1 h on Friday, 7 h on Monday until 16:00 CEST = 14:00 UTC
        self.assertEqual(self.deadline(self.dealer_a2, UTC(2026, 3, 27, 15)),
                         UTC(2026, 3, 30, 14))

    def test_midnight_in_berlin(self):
        # Wed 4 Feb 2026 00:30 Berlin is still Tuesday in UTC: the hours
        # count from Wednesday 8:00 to Wednesday 17:00 Berlin
        self.assertEqual(self.deadline(self.dealer_a2, UTC(2026, 2, 3, 23, 30)),
                         UTC(2026, 2, 4, 16))
        # Tue 23:30 Berlin: also nothing before Wednesday 8:00
        self.assertEqual(self.deadline(self.dealer_a2, UTC(2026, 2, 3, 22, 30)),
                         UTC(2026, 2, 4, 16))

    def test_reminder_escalation_recall_and_rerouting(self):
        Lead = self.env["crm.lead"]
        forwarded = UTC(2026, 1, 12, 8)                       # Mon 9:00 Berlin
        lead = self.new_lead(forwarded)
        self.assertEqual(lead.partner_assigned_id, self.dealer_a1)
        self.assertEqual(lead.prm_reminder_date, stamp(UTC(2026, 1, 12, 16)))
        self.assertEqual(lead.prm_accept_deadline, stamp(UTC(2026, 1, 13, 8)))
        # 16 business hours: Mon 7 h, Tue 8 h, Wed 8:00-9:00 Berlin
        self.assertEqual(lead.prm_recall_date, stamp(UTC(2026, 1, 14, 8)))

        def cron(now):
            return Lead.with_context(prm_now=stamp(now))._prm_cron_deadlines().get(
                lead.id)

        self.assertIsNone(cron(UTC(2026, 1, 12, 15, 59)))
        self.assertEqual(cron(UTC(2026, 1, 12, 16)), ["remind"])
        self.assertIsNone(cron(UTC(2026, 1, 12, 17)))
        self.assertEqual(cron(UTC(2026, 1, 13, 8)), ["escalate"])
        self.assertIn("escalated to the territory manager T_Tm_A", self.history(lead))
        self.assertIn(self.tm_a.partner_id,
                      lead.message_ids.mapped("partner_ids"))
        self.assertIsNone(cron(UTC(2026, 1, 14, 7, 59)))
        self.assertEqual(cron(UTC(2026, 1, 14, 8)), ["recall"])
        self.assertEqual(lead.partner_assigned_id, self.dealer_a2)
        self.assertEqual(lead.prm_recall_count, 1)
        self.assertEqual(lead.prm_dealer_state, "pending")
        self.assertEqual(lead.prm_forwarded_date, stamp(UTC(2026, 1, 14, 8)))
        self.assertEqual(lead.prm_deadline_stage, "open")
        self.assertEqual(
            [(row.dealer_id, row.outcome) for row in lead.prm_routing_ids.sorted("id")],
            [(self.dealer_a1, "recalled"), (self.dealer_a2, "pending")])
        self.assertIn("Recalled from T Dealer A1", self.history(lead))
        # the first dealer no longer sees the lead
        self.assertFalse(Lead.sudo(self.director_a1).search([("id", "=", lead.id)]))
        # recalled again: no dealer left in region A, head office takes it
        self.assertEqual(cron(UTC(2026, 1, 19, 12)), ["escalate", "recall"])
        self.assertFalse(lead.partner_assigned_id)
        self.assertEqual(lead.prm_recall_count, 2)

    def test_first_reaction_reminder_and_escalation(self):
        """Accepted without a reaction to the customer: a reminder before
        the first-reaction deadline (16 business hours, reminder 1 h before),
        the territory manager at it; a reaction stops the clock."""
        Lead = self.env["crm.lead"]
        lead = self.new_lead(UTC(2026, 1, 12, 8))              # Mon 9:00 Berlin
        self.assertEqual(lead.prm_reaction_deadline, stamp(UTC(2026, 1, 14, 8)))
        # 15 business hours: Mon 7 h, Tue 8 h until 17:00 Berlin
        self.assertEqual(lead.prm_reaction_reminder_date, stamp(UTC(2026, 1, 13, 16)))
        self.assertFalse(lead.prm_reaction_stage, "pending: the acceptance clock")
        lead.sudo()._prm_dealer_reaction(action="accept")
        self.assertEqual(lead.prm_reaction_stage, "open")

        def cron(now):
            return Lead.with_context(prm_now=stamp(now))._prm_cron_deadlines().get(
                lead.id)

        self.assertIsNone(cron(UTC(2026, 1, 13, 15, 59)))
        self.assertEqual(cron(UTC(2026, 1, 13, 16)), ["reaction_remind"])
        self.assertIsNone(cron(UTC(2026, 1, 14, 7, 59)))
        self.assertIn("still waiting for a first reaction", self.history(lead))
        self.assertEqual(cron(UTC(2026, 1, 14, 8)), ["reaction_escalate"])
        self.assertIn("First-reaction deadline passed", self.history(lead))
        self.assertIn(self.tm_a.partner_id, lead.message_ids.mapped("partner_ids"))
        self.assertIsNone(cron(UTC(2026, 2, 14, 8)), "escalated once, no recall")
        self.assertEqual(lead.partner_assigned_id, self.dealer_a1)
        # another lead: the reaction before the reminder stops the clock
        other = self.new_lead(UTC(2026, 1, 12, 9))
        other.sudo()._prm_dealer_reaction(action="accept")
        other.sudo()._prm_dealer_reaction(reaction="contacted")
        self.assertFalse(other.prm_reaction_stage)
        self.assertFalse(Lead.with_context(prm_now=stamp(UTC(2026, 2, 1)))
                         ._prm_cron_deadlines().get(other.id))

    def test_answer_stops_the_clock_and_counts_in_acceptance(self):
        lead = self.new_lead(UTC(2026, 1, 12, 8))
        # as the portal controller calls it, after its access check
        lead.sudo()._prm_dealer_reaction(action="accept")
        self.assertFalse(lead.prm_deadline_stage)
        # no acceptance step any more; only the first-reaction clock runs
        self.assertEqual(self.env["crm.lead"].with_context(
            prm_now=stamp(UTC(2026, 2, 1)))._prm_cron_deadlines().get(lead.id),
            ["reaction_escalate"])
        declined = self.new_lead(UTC(2026, 1, 12, 9))
        self.assertEqual(declined.partner_assigned_id, self.dealer_a2)
        third = self.new_lead(UTC(2026, 1, 12, 10))
        self.assertEqual(third.partner_assigned_id, self.dealer_a1)
        third.sudo()._prm_dealer_reaction(action="decline")
        self.dealer_a1.invalidate_cache()
        self.assertEqual(self.dealer_a1.prm_acceptance_rate, 50.0)
        stats = self.env["prm.lead.routing"]._prm_routing_statistics(
            [("territory_id", "child_of", self.region_a.id)])
        self.assertEqual(stats[False]["accepted"], 1)
        self.assertEqual(stats[False]["forwarded"], 3)
        self.assertEqual(stats[False]["acceptance_rate"], 0.5)
        self.assertEqual(self.region_a.acceptance_rate, 50.0)
        self.assertEqual(self.touchpoint.acceptance_rate, 50.0)

    def test_clock_is_ignored_for_other_users(self):
        lead = self.env["crm.lead"].sudo(self.tm_a).with_context(
            prm_now="2001-01-01 00:00:00").create({
                "name": "T inquiry", "zip": "80331",
                "prm_touchpoint_id": self.touchpoint.id})
        self.assertGreater(lead.sudo().prm_forwarded_date, "2020-01-01")

    def test_time_left_for_the_dealer(self):
        lead = self.new_lead(UTC(2026, 1, 12, 8))     # accept by Tue 8:00 UTC
        at = lead.with_context(prm_now=stamp(UTC(2026, 1, 12, 12, 40)))
        self.assertEqual(at.prm_due_date, stamp(UTC(2026, 1, 13, 8)))
        self.assertEqual(at.prm_time_left, "19 h 20 min left")
        late = lead.with_context(prm_now=stamp(UTC(2026, 1, 13, 9, 5)))
        self.assertEqual(late.prm_time_left, "overdue by 1 h 05 min")
        self.assertTrue(late.prm_is_overdue)

    def test_acceptance_rate_and_recalls_as_target_actuals(self):
        Metric = self.env["prm.target.metric"]
        rate = Metric.create({"name": "T acceptance", "code": "t-accept",
                              "unit": "percent", "aggregation": "avg",
                              "source": "leads_acceptance_rate"})
        recalls = Metric.create({"name": "T recalls", "code": "t-recalls",
                                 "unit": "count", "higher_is_better": False,
                                 "source": "leads_recall_count"})
        period = self.env["date.range"].create({
            "name": "T Q1/2026", "date_start": "2026-01-01",
            "date_end": "2026-03-31",
            "type_id": self.env.ref("prm_partner_portal.date_range_type_quarter").id})
        accepted = self.new_lead(UTC(2026, 1, 12, 8))
        accepted.sudo()._prm_dealer_reaction(action="accept")
        recalled = self.new_lead(UTC(2026, 1, 12, 9))        # to A2
        self.new_lead(UTC(2026, 1, 12, 10))                  # A1, still pending
        self.env["crm.lead"].with_context(
            prm_now=stamp(UTC(2026, 1, 20)))._prm_cron_deadlines()
        self.assertEqual(recalled.prm_recall_count, 1)
        targets = self.make_target(self.dealer_a1, period, rate, 80, 0) | \
            self.make_target(self.dealer_a2, period, recalls, 0, 0)
        targets._refresh_actuals()
        # A1: one accepted, one recalled by the cron at the same time
        self.assertEqual(targets[0].actual_value, 50.0)
        self.assertEqual(targets[1].actual_value, 1.0)


class TestHolidayRights(RoutingCase):

    def test_only_head_office_changes_public_holidays(self):
        """Holidays move every deadline of the dealers of a state; core's
        resource module let every employee change calendar leaves (found
        while building the routing): a territory manager could move his
        dealers' deadlines."""
        from odoo.exceptions import AccessError
        holiday = self.cal_by.leave_ids[:1]
        self.assertTrue(holiday)
        tm = holiday.sudo(self.tm_a)
        self.assertTrue(tm.name, "everybody still reads them")
        with self.assertRaises(AccessError):
            tm.write({"date_to": holiday.date_from})
        with self.assertRaises(AccessError):
            tm.unlink()
        with self.assertRaises(AccessError):
            self.env["resource.calendar.leaves"].sudo(self.tm_a).create({
                "name": "Frei", "calendar_id": self.cal_by.id,
                "date_from": "2026-06-01 00:00:00", "date_to": "2026-06-01 23:00:00"})
        holiday.sudo(self.manager).write({"name": "Heilige Drei Könige"})
