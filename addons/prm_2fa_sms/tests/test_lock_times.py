"""Issue 17/8: the end of a code lock was shown as the raw UTC text
"2026-11-29 20:47:00" on the code page and written as "... until
2026-11-29 20:47:00 UTC" into head office's message."""
import datetime

from odoo import fields
from odoo.tests.common import TransactionCase

from ..lib.policy import AccountLockedError

LOCKED_UNTIL = "2026-11-29 20:47:00"


class TestLockTimes(TransactionCase):

    def setUp(self):
        super().setUp()
        self.service = self.env["prm.2fa.service"].sudo()
        self.user = self.env.ref("base.user_demo")
        self.user.sudo().write({"prm_2fa_locked_until": LOCKED_UNTIL,
                                "tz": "Europe/Berlin"})
        self.now = fields.Datetime.from_string(LOCKED_UNTIL) - \
            datetime.timedelta(minutes=5)

    def page_text(self, lang):
        service = self.service.with_context(lang=lang)
        with self.assertRaises(AccountLockedError) as caught:
            service._check_can_send(self.user, self.now)
        return service._user_message(caught.exception)

    def test_lock_end_in_the_users_zone_and_language(self):
        self.assertIn("29.11.2026 21:47", self.page_text("de_DE"))
        self.assertIn("11/29/2026 21:47", self.page_text("en_US"))
        self.assertNotIn("2026-11-29", self.page_text("de_DE"))

    def test_around_midnight_and_dst(self):
        for utc, berlin in (("2026-11-29 23:10:00", "30.11.2026 00:10"),
                            ("2026-10-25 00:30:00", "25.10.2026 02:30"),
                            ("2026-10-25 01:30:00", "25.10.2026 02:30"),
                            ("2026-03-29 01:00:00", "29.03.2026 03:00")):
            self.user.sudo().prm_2fa_locked_until = utc
            self.assertEqual(self.service.with_context(lang="de_DE")
                             ._lock_end_text(self.user), berlin)

    def test_user_in_another_zone(self):
        self.user.sudo().tz = "America/New_York"
        self.assertIn("11/29/2026 15:47", self.page_text("en_US"))

    def test_head_office_reads_the_length_not_a_utc_time(self):
        before = self.user.partner_id.message_ids
        error = self.service.with_context(lang="de_DE")._lock(
            self.user, self.now, "127.0.0.1")
        message = self.user.partner_id.message_ids - before
        self.assertEqual(len(message), 1)
        self.assertNotIn("UTC", message.body)
        self.assertIn("für 30 Minuten gesperrt", message.body)
        end = fields.Datetime.from_string(self.user.prm_2fa_locked_until)
        self.assertEqual(end - self.now, datetime.timedelta(minutes=30))
        self.assertIn("29.11.2026 22:12", self.service.with_context(
            lang="de_DE")._user_message(error))
