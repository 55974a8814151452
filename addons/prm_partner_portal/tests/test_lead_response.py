"""Lead response statistics, the dealer's reaction and customer feedback (ORM)."""
import datetime
import json

import pytz

from odoo import fields
from odoo.exceptions import AccessError, UserError

from ..lib import feedback as feedback_logic
from .common import PrmCase
from .oracles import summarize

FORWARDED = datetime.datetime(2001, 2, 5, 8, 0)


class LeadCase(PrmCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Touchpoint = cls.env["prm.touchpoint"]
        cls.tp_fast = Touchpoint.create({"name": "T chat", "code": "t-chat",
                                         "target_response_hours": 4})
        cls.tp_slow = Touchpoint.create({"name": "T fair", "code": "t-fair",
                                         "target_response_hours": 48})

    @classmethod
    def lead(cls, dealer, hours=None, touchpoint=None, **extra):
        """A lead forwarded to ``dealer``, answered after ``hours`` (or not)."""
        vals = {
            "name": "T lead %s %s" % (dealer.name, hours), "type": "opportunity",
            "partner_assigned_id": dealer.id,
            "prm_touchpoint_id": touchpoint and touchpoint.id,
            "prm_forwarded_date": fields.Datetime.to_string(FORWARDED),
            "prm_dealer_state": "pending",
        }
        if hours is not None:
            vals.update({
                "prm_dealer_state": "accepted", "prm_first_reaction": "contacted",
                "prm_first_response_date": fields.Datetime.to_string(
                    FORWARDED + datetime.timedelta(hours=hours)),
            })
        vals.update(extra)
        return cls.env["crm.lead"].create(vals)


class TestResponseStatistics(LeadCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Dealer A1: chat leads after 1 h and 5 h (target 4 h), fair leads
        # after 3 h and 50 h (target 48 h): sorted 1, 3, 5, 50.
        for hours, touchpoint in ((1, cls.tp_fast), (5, cls.tp_fast),
                                  (3, cls.tp_slow), (50, cls.tp_slow)):
            cls.lead(cls.dealer_a1, hours, touchpoint)
        cls.lead(cls.dealer_a1)  # not answered yet: not counted
        # Dealer B: no touchpoint (default target 24 h); the 30 h one was lost.
        cls.lead(cls.dealer_b, 10)
        cls.lead(cls.dealer_b, 20)
        cls.lead(cls.dealer_b, 30, active=False, probability=0)
        cls.domain = [("partner_assigned_id", "in", cls.dealers.ids)]

    def stats(self, groupby):
        return self.env["crm.lead"]._prm_response_statistics(self.domain, groupby)

    def test_per_dealer_matches_hand_computed_values(self):
        stats = self.stats("partner_assigned_id")
        self.assertEqual(set(stats), {self.dealer_a1.id, self.dealer_b.id})
        a1 = stats[self.dealer_a1.id]
        self.assertEqual(a1["count"], 4)
        self.assertAlmostEqual(a1["median"], 4.0)  # between 3 and 5
        self.assertAlmostEqual(a1["p90"], 36.5)  # 5 + 0.7 * (50 - 5)
        self.assertEqual(a1["within_target"], 2)  # 1 h (chat), 3 h (fair)
        self.assertAlmostEqual(a1["within_target_share"], 0.5)
        b = stats[self.dealer_b.id]
        self.assertEqual(b["count"], 3)
        self.assertAlmostEqual(b["median"], 20.0)
        self.assertAlmostEqual(b["p90"], 28.0)  # 20 + 0.8 * 10
        self.assertAlmostEqual(b["within_target_share"], 2 / 3)
        # The SQL agrees with the plain-Python reference.
        reference = summarize([1, 5, 3, 50], [4, 4, 48, 48])
        for key, sql_key in (("count", "count"), ("median", "median"),
                             ("p90", "p90"),
                             ("within_target_share", "within_target_share")):
            self.assertAlmostEqual(reference[key], a1[sql_key])

    def test_per_territory_and_touchpoint(self):
        territories = self.stats("prm_territory_id")
        self.assertEqual(territories[self.area_a1.id]["count"], 4)
        self.assertAlmostEqual(territories[self.region_b.id]["median"], 20.0)
        touchpoints = self.stats("prm_touchpoint_id")
        self.assertAlmostEqual(touchpoints[self.tp_fast.id]["median"], 3.0)
        self.assertAlmostEqual(touchpoints[self.tp_fast.id]["within_target_share"],
                               0.5)
        self.assertAlmostEqual(touchpoints[self.tp_slow.id]["p90"], 45.3)
        self.assertEqual(touchpoints[False]["count"], 3)
        with self.assertRaises(ValueError):
            self.stats("name")

    def test_record_rules_apply(self):
        stats = self.env["crm.lead"].sudo(self.tm_b)._prm_response_statistics(
            self.domain, "partner_assigned_id")
        self.assertEqual(list(stats), [self.dealer_b.id])
        own = self.env["crm.lead"].sudo(self.director_a1)._prm_response_statistics(
            [], "partner_assigned_id")
        self.assertEqual(list(own), [self.dealer_a1.id])

    def test_one_query_regardless_of_lead_count(self):
        Lead = self.env["crm.lead"]
        few = [("partner_assigned_id", "=", self.dealer_a2.id)]
        many = [("partner_assigned_id", "in", self.dealers.ids)]
        for hours in range(60):
            self.lead(self.dealer_b, hours % 30, self.tp_fast)

        def queries(domain):
            Lead._prm_response_statistics(domain, "partner_assigned_id")  # warm-up
            before = self.env.cr.sql_log_count
            Lead._prm_response_statistics(domain, "partner_assigned_id")
            return self.env.cr.sql_log_count - before

        self.assertEqual(queries(few), 1)
        self.assertEqual(queries(many), 1)

    def recent(self, dealer):
        """Move ``dealer``'s leads (forwarded 2001) into the last 12 months,
        keeping their response hours: the dealer figures count that window
        (``lib/dealer_figures.py``)."""
        leads = self.env["crm.lead"].with_context(active_test=False).search(
            [("partner_assigned_id", "=", dealer.id)])
        shift = datetime.datetime.utcnow().replace(microsecond=0) - \
            datetime.timedelta(days=30) - FORWARDED
        for lead in leads:
            vals = {"prm_forwarded_date": fields.Datetime.to_string(
                fields.Datetime.from_string(lead.prm_forwarded_date) + shift)}
            if lead.prm_first_response_date:
                vals["prm_first_response_date"] = fields.Datetime.to_string(
                    fields.Datetime.from_string(lead.prm_first_response_date)
                    + shift)
            lead.write(vals)
        dealer.invalidate_cache()

    def test_dealer_figures_count_the_last_twelve_months(self):
        """The dealer form, the scorecard and the tier criterion read one
        figure (review finding 8): leads forwarded before the window do not
        count in the dealer's response figures."""
        dealer = self.dealer_a1.sudo(self.tm_a)
        self.assertEqual(dealer.prm_response_within_target, 0.0)
        self.assertEqual(dealer.prm_response_median_hours, 0.0)
        self.recent(self.dealer_a1)
        self.assertAlmostEqual(dealer.prm_response_within_target, 50.0)

    def test_relationship_view_shows_response_and_satisfaction(self):
        self.recent(self.dealer_a1)
        a1_leads = self.env["crm.lead"].search(
            [("partner_assigned_id", "=", self.dealer_a1.id),
             ("prm_first_response_date", "!=", False)])
        Feedback = self.env["prm.lead.feedback"]
        for lead, rating in zip(a1_leads, (5, 4)):
            Feedback.create({"lead_id": lead.id})._prm_answer(rating, "")
        Feedback.create({"lead_id": a1_leads[2].id})  # pending: not counted
        dealer = self.dealer_a1.sudo(self.tm_a)
        self.assertAlmostEqual(dealer.prm_response_median_hours, 4.0)
        self.assertAlmostEqual(dealer.prm_response_p90_hours, 36.5)
        self.assertAlmostEqual(dealer.prm_response_within_target, 50.0)
        self.assertAlmostEqual(dealer.prm_feedback_rating, 4.5)
        self.assertEqual(dealer.prm_feedback_count, 2)
        self.assertEqual(self.dealer_a2.prm_feedback_count, 0)

    def test_target_actuals_from_response_median(self):
        metric = self.env["prm.target.metric"].create({
            "name": "T response", "code": "t-response", "unit": "hours",
            "aggregation": "avg", "higher_is_better": False,
            "source": "leads_response_median"})
        in_q1 = self.make_target(self.dealer_a1, self.q1, metric, 24, 0)
        in_q2 = self.make_target(self.dealer_a1, self.q2, metric, 24, 0)
        self.assertAlmostEqual(in_q1.actual_value, 4.0)
        self.assertEqual(in_q2.actual_value, 0.0)  # nothing forwarded in Q2

    def test_average_counts_lost_leads_and_zero_hour_answers(self):
        """Issue 17/10: the average left out lost leads and 0-hour answers
        (0.0 h shown against 8.09 h by hand) while median, p90 and the
        share within target counted them."""
        for _index in range(3):
            self.lead(self.dealer_a2, 0, self.tp_fast)
        self.lead(self.dealer_a2, 32.36, self.tp_fast, active=False, probability=0)
        self.recent(self.dealer_a2)
        dealer = self.dealer_a2.sudo(self.tm_a)
        self.assertAlmostEqual(dealer.prm_avg_response_hours, 8.09)
        self.assertAlmostEqual(dealer.prm_response_median_hours, 0.0)
        self.assertAlmostEqual(dealer.prm_response_within_target, 75.0)
        stats = self.env["crm.lead"]._prm_response_statistics(
            [("partner_assigned_id", "=", self.dealer_a2.id)])
        reference = summarize([0, 0, 0, 32.36], 4)
        for key in ("count", "average", "median", "p90", "within_target_share"):
            self.assertAlmostEqual(stats[self.dealer_a2.id][key], reference[key])

    def assert_figures(self, record, hours, targets):
        """``record``'s response fields equal the reference definition."""
        reference = summarize(hours, targets)
        self.assertEqual(record.response_count, reference["count"])
        self.assertAlmostEqual(record.response_avg_hours, reference["average"])
        self.assertAlmostEqual(record.response_median_hours, reference["median"])
        self.assertAlmostEqual(record.response_p90_hours, reference["p90"])
        # percent, one decimal (lib/dealer_figures.py)
        self.assertAlmostEqual(record.response_within_target,
                               round(100.0 * reference["within_target_share"]
                                     + 1e-9, 1))

    def test_every_level_shows_the_same_figures(self):
        """Issue 17/10: median, p90, share within target and average per
        territory (with its areas), per touchpoint and for the network."""
        # the levels count the last 12 months, as the dealer's figures
        self.assertEqual(self.region_a.sudo(self.tm_a).response_count, 0)
        self.recent(self.dealer_a1)
        self.recent(self.dealer_b)
        self.env["prm.territory"].invalidate_cache()
        self.env["prm.touchpoint"].invalidate_cache()
        a1 = ([1, 5, 3, 50], [4, 4, 48, 48])
        self.assert_figures(self.region_a.sudo(self.tm_a), *a1)
        self.assert_figures(self.area_a1.sudo(self.tm_a), *a1)
        self.assertEqual(self.area_a2.response_count, 0)
        self.assert_figures(self.region_b, [10, 20, 30], [24, 24, 24])  # 30 h lost
        self.assert_figures(self.tp_fast, [1, 5], 4)
        self.assert_figures(self.tp_slow, [3, 50], 48)
        network = self.env["crm.lead"]._prm_response_statistics(
            self.domain, None)[False]
        reference = summarize(
            [1, 5, 3, 50, 10, 20, 30], [4, 4, 48, 48, 24, 24, 24])
        for key in ("count", "average", "median", "p90", "within_target_share"):
            self.assertAlmostEqual(network[key], reference[key])
        # The overview screen: the network as the user may see it, and the
        # territories and touchpoints with the same figures as above.
        Overview = self.env["prm.response.overview"]
        action = Overview.action_open()
        overview = Overview.browse(action["res_id"])
        self.assertGreaterEqual(overview.response_count, 7)
        self.assertIn(self.tp_fast, overview.touchpoint_ids)
        self.assertIn(self.region_a, overview.territory_ids)
        # a territory manager's figures stay within the record rules
        self.assertEqual(self.region_b.sudo(self.tm_a).response_count, 0)
        mine = Overview.sudo(self.tm_a).create({})
        self.assertIn(self.region_a, mine.territory_ids)
        self.assertNotIn(self.region_b, mine.territory_ids)  # no rows of zeros
        own_leads = self.env["crm.lead"].sudo(self.tm_a).search_count([
            ("prm_first_response_date", "!=", False),
            ("prm_forwarded_date", "!=", False), ("active", "in", (True, False))])
        self.assertEqual(mine.response_count, own_leads)

    def test_target_actuals_from_every_response_figure(self):
        sources = {"leads_response_p90": 36.5, "leads_response_average": 14.75,
                   "leads_response_within_target": 50.0,
                   "leads_response_median": 4.0}
        for source, expected in sources.items():
            metric = self.env["prm.target.metric"].create({
                "name": "T %s" % source, "code": "t-%s" % source,
                "unit": "hours", "aggregation": "avg",
                "higher_is_better": source.endswith("within_target"),
                "source": source})
            target = self.make_target(self.dealer_a1, self.q1, metric, 24, 0)
            self.assertAlmostEqual(target.actual_value, expected, msg=source)

    def test_target_periods_follow_berlin_calendar_days(self):
        """A lead forwarded at 00:30 on 1 April in Berlin (22:30 UTC on
        31 March) belongs to Q2, not Q1."""
        self.env.user.company_id.partner_id.tz = "Europe/Berlin"
        metric = self.env["prm.target.metric"].create({
            "name": "T response", "code": "t-response", "unit": "hours",
            "aggregation": "avg", "higher_is_better": False,
            "source": "leads_response_median"})
        forwarded = datetime.datetime(2001, 3, 31, 22, 30)
        self.lead(self.dealer_a2, None, self.tp_fast,
                  prm_forwarded_date=fields.Datetime.to_string(forwarded),
                  prm_dealer_state="accepted", prm_first_reaction="contacted",
                  prm_first_response_date=fields.Datetime.to_string(
                      forwarded + datetime.timedelta(hours=2)))
        in_q1 = self.make_target(self.dealer_a2, self.q1, metric, 24, 0)
        in_q2 = self.make_target(self.dealer_a2, self.q2, metric, 24, 0)
        self.assertEqual(in_q1.actual_value, 0.0)
        self.assertAlmostEqual(in_q2.actual_value, 2.0)


class TestDealerReaction(LeadCase):

    def test_accept_with_first_reaction_stamps_the_response_once(self):
        lead = self.lead(self.dealer_a1, touchpoint=self.tp_fast)
        lead._prm_dealer_reaction(action="accept", reaction="quote", note="Sent")
        self.assertEqual(lead.prm_dealer_state, "accepted")
        self.assertEqual(lead.prm_first_reaction, "quote")
        first = lead.prm_first_response_date
        self.assertTrue(first)
        self.assertIn("Sent", lead.prm_dealer_note)
        lead.prm_first_response_date = "2001-02-05 09:00:00"
        lead._prm_dealer_reaction(reaction="contacted", note="Visited")
        self.assertEqual(lead.prm_first_reaction, "quote")
        self.assertEqual(lead.prm_first_response_date, "2001-02-05 09:00:00")
        self.assertEqual(lead.prm_response_hours, 1.0)
        self.assertIn("Visited", lead.prm_dealer_note)

    def test_accept_without_reaction_keeps_the_clock_running(self):
        lead = self.lead(self.dealer_a1)
        lead._prm_dealer_reaction(action="accept")
        self.assertEqual(lead.prm_dealer_state, "accepted")
        self.assertFalse(lead.prm_first_response_date)

    def test_lost_needs_a_reason_and_closes_the_lead(self):
        lead = self.lead(self.dealer_a1)
        with self.assertRaises(UserError):
            lead._prm_dealer_reaction(action="accept", reaction="lost")
        self.assertEqual(lead.prm_dealer_state, "pending")
        lead._prm_dealer_reaction(action="accept", reaction="lost",
                                  lost_reason="<b>Too expensive</b>")
        self.assertFalse(lead.active)
        self.assertEqual(lead.probability, 0)
        self.assertEqual(lead.prm_lost_reason, "Too expensive")
        self.assertIn("Too expensive", lead.prm_dealer_note)
        with self.assertRaises(UserError):
            lead._prm_dealer_reaction(reaction="quote")

    def test_invalid_answers_change_nothing(self):
        lead = self.lead(self.dealer_a1)
        for kwargs in ({}, {"action": "win"}, {"action": "accept", "reaction": "x"},
                       {"action": "decline", "reaction": "quote"},
                       {"reaction": "quote"}):
            with self.assertRaises(UserError):
                lead._prm_dealer_reaction(**kwargs)
        self.assertEqual(lead.prm_dealer_state, "pending")
        self.assertFalse(lead.prm_first_response_date or lead.prm_dealer_note)
        lead._prm_dealer_reaction(action="decline")
        self.assertEqual(lead.prm_dealer_state, "declined")
        self.assertTrue(lead.prm_first_response_date)
        with self.assertRaises(UserError):
            lead._prm_dealer_reaction(action="accept")


class TestDealerNoteTimes(LeadCase):
    """Issue 17/8: the time of a dealer's answer was frozen into the note in
    UTC and English ("2026-11-29 20:47 Accepted: ..."); it is stored as a
    datetime and shown in the reader's time zone and language."""

    def note_for(self, lead, lang, tz):
        return lead.with_context(lang=lang, tz=tz).prm_dealer_note

    def lead_with_answer(self, utc, state="accepted", reaction=None, text="Ok"):
        lead = self.lead(self.dealer_a1)
        lead.prm_dealer_log = json.dumps([{
            "date": utc, "state": state, "reaction": reaction, "text": text}])
        return lead

    def test_answer_time_is_the_readers_local_time(self):
        lead = self.lead(self.dealer_a1)
        lead._prm_dealer_reaction(action="accept", reaction="contacted",
                                  note="Rückruf zugesagt")
        answered = fields.Datetime.from_string(lead.prm_first_response_date)
        berlin = pytz.utc.localize(answered).astimezone(
            pytz.timezone("Europe/Berlin"))
        self.assertEqual(
            self.note_for(lead, "de_DE", "Europe/Berlin"),
            "%s Kunde kontaktiert: Rückruf zugesagt"
            % berlin.strftime("%d.%m.%Y %H:%M"))
        york = pytz.utc.localize(answered).astimezone(
            pytz.timezone("America/New_York"))
        self.assertEqual(
            self.note_for(lead, "en_US", "America/New_York"),
            "%s Customer contacted: Rückruf zugesagt"
            % york.strftime("%m/%d/%Y %H:%M"))

    def test_issue_example_around_midnight_and_dst(self):
        for utc, berlin in (
                ("2026-11-29 20:47:00", "29.11.2026 21:47"),  # the example
                ("2026-11-29 23:10:00", "30.11.2026 00:10"),  # next day
                ("2026-10-25 00:30:00", "25.10.2026 02:30"),  # still CEST
                ("2026-10-25 01:30:00", "25.10.2026 02:30"),  # CET again
                ("2026-03-29 00:59:00", "29.03.2026 01:59"),  # last CET minute
                ("2026-03-29 01:00:00", "29.03.2026 03:00")):  # first CEST
            lead = self.lead_with_answer(utc)
            self.assertEqual(self.note_for(lead, "de_DE", "Europe/Berlin"),
                             "%s Angenommen: Ok" % berlin, utc)
        lead = self.lead_with_answer("2026-11-29 20:47:00", "declined", None, "")
        self.assertEqual(self.note_for(lead, "en_US", "Europe/London"),
                         "11/29/2026 20:47 Declined: –")

    def test_several_answers_and_legacy_text(self):
        lead = self.lead(self.dealer_a1)
        lead.prm_dealer_log = json.dumps([
            {"text": "2026-01-05 09:00 Accepted: old note"},
            {"date": "2026-01-05 10:00:00", "reaction": "quote", "text": "Sent"}])
        self.assertEqual(self.note_for(lead, "de_DE", "Europe/Berlin"),
                         "2026-01-05 09:00 Accepted: old note\n"
                         "05.01.2026 11:00 Angebot gesendet: Sent")
        lead.prm_dealer_log = "not json"
        self.assertEqual(lead.prm_dealer_note, "")


class TestLeadAccess(LeadCase):

    def test_director_sees_only_own_forwarded_leads(self):
        own = self.lead(self.dealer_a1, 2)
        foreign = self.lead(self.dealer_b, 2)
        not_forwarded = self.lead(self.dealer_a1, prm_forwarded_date=False)
        Lead = self.env["crm.lead"].sudo(self.director_a1)
        candidates = [("id", "in", (own | foreign | not_forwarded).ids)]
        self.assertEqual(Lead.search(candidates), own)
        with self.assertRaises(AccessError):
            foreign.sudo(self.director_a1).read(["name"])
        with self.assertRaises(AccessError):
            own.sudo(self.director_a1).write({"prm_dealer_state": "accepted"})
        with self.assertRaises(AccessError):
            self.env["crm.lead"].sudo(self.bookkeeper_a1).search([])
        self.assertEqual(self.env["crm.lead"].sudo(self.director_b).search(
            candidates), foreign)


class TestFeedback(LeadCase):

    def won_lead(self, dealer=None):
        lead = self.lead(dealer or self.dealer_a1, 3,
                         email_from="kunde@t.example")
        lead.action_set_won()
        return lead

    def test_request_creates_a_token_and_queues_the_mail(self):
        open_lead = self.lead(self.dealer_a1, 3, email_from="kunde@t.example")
        with self.assertRaises(UserError):
            open_lead.sudo(self.tm_a).action_prm_request_feedback()
        lead = self.won_lead()
        lead.sudo(self.tm_a).action_prm_request_feedback()
        feedback = lead.prm_feedback_ids
        self.assertEqual(len(feedback), 1)
        self.assertEqual((feedback.state, feedback.partner_id, feedback.email),
                         ("pending", self.dealer_a1, "kunde@t.example"))
        self.assertGreaterEqual(len(feedback.token), 43)
        mail = self.env["mail.mail"].search(
            [("email_to", "=", "kunde@t.example")], order="id desc", limit=1)
        self.assertIn("/prm/feedback/%s" % feedback.token, mail.body_html)
        self.assertFalse(mail.model)  # not in anybody's chatter
        # Asking again re-sends the same link instead of a second record.
        lead.sudo(self.tm_a).action_prm_request_feedback()
        self.assertEqual(lead.prm_feedback_ids, feedback)
        other = self.won_lead()
        other.action_prm_request_feedback()
        self.assertNotEqual(other.prm_feedback_ids.token, feedback.token)

    def test_request_needs_write_access_to_the_lead(self):
        lead = self.won_lead(self.dealer_b)
        with self.assertRaises(AccessError):
            lead.sudo(self.tm_a).action_prm_request_feedback()
        with self.assertRaises(AccessError):
            lead.sudo(self.director_b).action_prm_request_feedback()
        self.assertFalse(lead.prm_feedback_ids)

    def test_answer_is_accepted_once_and_validated(self):
        lead = self.won_lead()
        lead.action_prm_request_feedback()
        feedback = lead.prm_feedback_ids
        with self.assertRaises(feedback_logic.RatingError):
            feedback._prm_answer("6", "great")
        self.assertEqual((feedback.state, feedback.rating, feedback.comment),
                         ("pending", 0, False))
        self.assertTrue(feedback._prm_answer("4", "Good <i>service</i>"))
        self.assertEqual((feedback.state, feedback.rating, feedback.comment),
                         ("answered", 4, "Good service"))
        self.assertFalse(feedback._prm_answer("1", "changed my mind"))
        self.assertEqual(feedback.rating, 4)
        with self.assertRaises(UserError):
            lead.action_prm_request_feedback()  # answered already
        Feedback = self.env["prm.lead.feedback"].sudo()
        self.assertEqual(Feedback._prm_find_by_token(feedback.token), feedback)
        self.assertFalse(Feedback._prm_find_by_token(feedback.token[:-1] + "x"))
        self.assertFalse(Feedback._prm_find_by_token(""))

    def test_feedback_access_per_role(self):
        own = self.env["prm.lead.feedback"].create({"lead_id": self.won_lead().id})
        foreign = self.env["prm.lead.feedback"].create(
            {"lead_id": self.won_lead(self.dealer_b).id})
        both = own | foreign
        Feedback = self.env["prm.lead.feedback"]
        candidates = [("id", "in", both.ids)]
        self.assertEqual(Feedback.sudo(self.director_a1).search(candidates), own)
        self.assertEqual(Feedback.sudo(self.tm_b).search(candidates), foreign)
        self.assertEqual(Feedback.sudo(self.marketing).search(candidates), both)
        self.assertEqual(own.sudo(self.director_a1).rating, 0)
        with self.assertRaises(AccessError):
            own.sudo(self.director_a1).read(["token"])  # the token is the key
        with self.assertRaises(AccessError):
            own.sudo(self.manager).read(["token"])
        with self.assertRaises(AccessError):
            foreign.sudo(self.director_a1).read(["rating"])
        with self.assertRaises(AccessError):
            own.sudo(self.director_a1).write({"rating": 5})
        with self.assertRaises(AccessError):
            own.sudo(self.marketing).write({"rating": 5})
        with self.assertRaises(AccessError):
            Feedback.sudo(self.bookkeeper_a1).search([])
        own.sudo(self.manager).write({"comment": "checked"})
