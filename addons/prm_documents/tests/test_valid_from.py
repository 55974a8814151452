"""An item published before its first valid day is announced on that day
(review observation of issue 22): the daily cron tells the addressed users
once, by mail or digest as each chose, when the day has begun in
Europe/Berlin."""
import datetime

import pytz

from odoo import fields

from .test_documents import DocumentsCase

BERLIN = pytz.timezone("Europe/Berlin")


def berlin_midnight_utc(day):
    """Midnight at the start of ``day`` (a date) in Berlin, as naive UTC."""
    local = BERLIN.localize(datetime.datetime.combine(day, datetime.time()))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


class TestValidFrom(DocumentsCase):

    def setUp(self):
        super().setUp()
        # items other tests left waiting for their first day (system tests
        # commit theirs) would be announced by the same cron runs: only
        # this test's items count (rolled back with the test)
        for model in ("prm.document", "prm.news"):
            self.env[model].sudo().search(
                [("prm_announce_pending", "=", True)]).write(
                {"prm_announce_pending": False})

    def mails_to(self, user):
        return self.env["mail.mail"].sudo().search(
            [("email_to", "=", user.email)])

    def digest_lines(self, user):
        return self.env["prm.mail.digest.line"].sudo().search(
            [("user_id", "=", user.id), ("sent", "=", False)])

    def test_future_item_is_announced_once_when_it_becomes_valid(self):
        self.director.write({"prm_notify_documents": "immediate"})
        self.foreign.write({"prm_notify_documents": "digest"})
        first_day = self.today + datetime.timedelta(days=10)
        tag = self.env["res.partner.category"].create(
            {"name": "Valid-from test"})
        (self.dealer | self.foreign_dealer).write(
            {"category_id": [(4, tag.id)]})
        document = self.env["prm.document"].create({
            "name": "Price list from the 10th", "file": "eA==",
            "file_name": "x.txt", "category_ids": [(6, 0, tag.ids)],
            "date_from": fields.Date.to_string(first_day)})
        news = self.env["prm.news"].create({
            "name": "News from the 10th", "body": "<p>x</p>",
            "category_ids": [(6, 0, tag.ids)],
            "date_from": fields.Date.to_string(first_day)})
        mails = self.mails_to(self.director)
        lines = self.digest_lines(self.foreign)
        document.action_publish()
        news.action_publish()
        # not valid yet: nobody is told at publishing
        self.assertEqual(self.mails_to(self.director), mails)
        self.assertEqual(self.digest_lines(self.foreign), lines)
        Users = self.env["res.users"]
        midnight = berlin_midnight_utc(first_day)
        # one minute before midnight in Berlin (the UTC day is the 9th too)
        Users._cron_prm_notify_valid(
            now=midnight - datetime.timedelta(minutes=1))
        self.assertEqual(self.mails_to(self.director), mails)
        self.assertEqual(self.digest_lines(self.foreign), lines)
        # one minute after midnight in Berlin (still the 9th in UTC)
        Users._cron_prm_notify_valid(
            now=midnight + datetime.timedelta(minutes=1))
        new_mail = self.mails_to(self.director) - mails
        self.assertEqual(len(new_mail), 1)
        self.assertIn("Price list from the 10th", new_mail.body_html)
        self.assertIn("News from the 10th", new_mail.body_html)
        self.assertEqual(len(self.digest_lines(self.foreign) - lines), 1)
        # exactly once: the next runs tell nobody again
        for hours in (1, 24):
            Users._cron_prm_notify_valid(
                now=midnight + datetime.timedelta(hours=hours))
        self.assertEqual(len(self.mails_to(self.director) - mails), 1)
        self.assertEqual(len(self.digest_lines(self.foreign) - lines), 1)

    def test_item_valid_at_publishing_is_not_announced_again(self):
        self.director.write({"prm_notify_documents": "immediate"})
        mails = self.mails_to(self.director)
        self.document(published=False,
                      date_from=self.day(0)).action_publish()
        self.assertEqual(len(self.mails_to(self.director) - mails), 1)
        self.env["res.users"]._cron_prm_notify_valid(
            now=datetime.datetime.utcnow() + datetime.timedelta(days=1))
        self.assertEqual(len(self.mails_to(self.director) - mails), 1)

    def test_the_day_is_berlins_whatever_the_callers_time_zone(self):
        """review9 F1/F7: neither the context's ``tz`` (the caller's to
        choose, over RPC too) nor an unknown zone moves or breaks the day."""
        now = berlin_midnight_utc(self.today) + datetime.timedelta(minutes=1)
        for tz in ("Pacific/Kiritimati", "Pacific/Pago_Pago", "Mars/Olympus",
                   5, None):
            for model in ("prm.document", "prm.news"):
                self.assertEqual(self.env[model].with_context(
                    tz=tz)._prm_today(now), self.today, tz)
