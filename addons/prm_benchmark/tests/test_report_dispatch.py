"""Batch sending of the report mails of a published period (issue 19)."""
from odoo.exceptions import AccessError, UserError

from .common import BenchmarkCase


class TestReportDispatch(BenchmarkCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.q1.state = "published"
        for dealer in cls.dealers[:3]:
            env["prm.benchmark.entry"].create({
                "partner_id": dealer.id, "period_id": cls.q1.id,
                "state": "submitted"})
        cls.director0.partner_id.lang = "de_DE"
        cls.manager = env["res.users"].create({
            "name": "T bench manager", "login": "t_bench_manager",
            "groups_id": [(6, 0, [env.ref("base.group_user").id, env.ref(
                "prm_partner_portal.group_prm_manager").id])]})
        env["ir.config_parameter"].sudo().set_param(
            "prm_benchmark.report_mails_per_minute", "1")

    def send(self, user=None):
        Dispatch = self.env["prm.benchmark.report.dispatch"]
        return Dispatch.sudo(user or self.manager)._send_period(self.q1)

    def test_one_link_mail_per_director_throttled_in_their_language(self):
        sent = self.send()
        # Directors of dealers with a counted entry only (no bookkeeper).
        self.assertEqual(sent.mapped("user_id"), self.director0 | self.director1)
        self.assertEqual(set(sent.mapped("state")), {"queued"})
        first, second = sent.sorted("scheduled_on")
        self.assertLess(first.scheduled_on, second.scheduled_on)
        for dispatch in sent:
            mail = dispatch.mail_id
            self.assertIn("/my/benchmark/report/open/%s" % dispatch.token,
                          mail.body_html)
            self.assertFalse(mail.attachment_ids)
            self.assertEqual(mail.scheduled_date[:16],
                             dispatch.scheduled_on[:16])
        german = sent.filtered(lambda d: d.user_id == self.director0).mail_id
        self.assertIn("Betriebsvergleich", german.subject)
        english = sent.filtered(lambda d: d.user_id == self.director1).mail_id
        self.assertIn("Your benchmark report", english.subject)
        # Sending again mails nobody twice.
        self.assertFalse(self.send())

    def test_status_follows_the_mail_and_the_link(self):
        sent = self.send()
        failed, delivered = sent.sorted("id")
        failed.mail_id._postprocess_sent_message(mail_sent=False)
        delivered.mail_id._postprocess_sent_message(mail_sent=True)
        self.assertEqual((failed.state, delivered.state), ("failed", "sent"))
        self.assertTrue(delivered.sent_on and not failed.sent_on)
        Dispatch = self.env["prm.benchmark.report.dispatch"]
        self.assertEqual(Dispatch._opened(delivered.token), delivered)
        self.assertEqual(delivered.state, "opened")
        self.assertFalse(Dispatch._opened("x" + delivered.token))
        self.assertFalse(Dispatch._opened(""))
        # A failed mail is sent again, the others are not.
        self.assertEqual(self.send().mapped("user_id"), failed.user_id)

    def test_only_head_office_sends_and_only_published_periods(self):
        for user in (self.director0, self.bookkeeper0):
            with self.assertRaises(AccessError):
                self.send(user)
        self.q1.state = "closed"
        with self.assertRaises(UserError):
            self.send()
        with self.assertRaises(AccessError):
            self.env["prm.benchmark.report.dispatch"].sudo(self.director0).search(
                [])
