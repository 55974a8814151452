"""The figures reminder names the deadline in the recipient's date format
("15.12.2026" for German users, not "2026-12-15"; review observation of
issue 22: dates in the user's locale)."""
from odoo.tests.common import SavepointCase


class TestReminderDates(SavepointCase):

    def test_reminder_deadline_in_the_recipients_format(self):
        Users = self.env["res.users"].with_context(no_reset_password=True)
        director = Users.search([("login", "=", "director01")])
        if not director:
            self.skipTest("needs the prm_demo users")
        director.write({"lang": "de_DE"})
        if "prm_notify_benchmark" in director._fields:  # prm_documents
            director.write({"prm_notify_benchmark": "immediate"})
        period = self.env["prm.benchmark.period"].search(
            [("state", "=", "open")], limit=1)
        if not period:
            self.skipTest("needs an open period (prm_demo)")
        period.write({"deadline": "2031-04-15"})
        self.env["prm.benchmark.entry"].search([
            ("period_id", "=", period.id),
            ("partner_id", "=", director.commercial_partner_id.id)]).write(
                {"state": "draft"})
        before = self.env["mail.mail"].sudo().search([])
        period.action_send_reminders()
        mails = self.env["mail.mail"].sudo().search(
            [("email_to", "=", director.email)]) - before
        self.assertEqual(len(mails), 1)
        self.assertIn("15.04.2031", mails.body_html)
        self.assertNotIn("2031-04-15", mails.body_html)
