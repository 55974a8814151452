"""Issue 21: every change of a second factor ends in ``_prm_factor_changed``
and starts the cooling-off checked by ``_prm_check_cooling_off``."""
import datetime
import threading

import pytz

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests.common import TransactionCase

OLD, NEW = "+4915110000091", "+4915110000092"


class TestFactorChanged(TransactionCase):

    def setUp(self):
        super().setUp()
        self.user = self.env.ref("base.user_demo")
        self.user.write({"tz": "Europe/Berlin", "lang": "en_US"})
        self.service = self.env["prm.2fa.service"]
        self.env["ir.config_parameter"].sudo().set_param(
            "prm_2fa_sms.provider", "outbox")
        self.env["ir.config_parameter"].sudo().set_param(
            "prm_2fa_sms.cooling_off_hours", "24")
        self.thread_uid = getattr(threading.current_thread(), "uid", None)

    def tearDown(self):
        threading.current_thread().uid = self.thread_uid
        super().tearDown()

    def outbox(self):
        return self.env["prm.sms.outbox"].sudo().search(
            [("user_id", "=", self.user.id)])

    def test_change_is_stored_audited_and_told_on_both_numbers(self):
        before = fields.Datetime.now()
        self.user._prm_factor_changed("number", old_number=OLD, new_number=NEW)
        self.assertGreaterEqual(self.user.prm_2fa_factor_changed_at, before)
        self.assertEqual(sorted(self.outbox().mapped("to")), [OLD, NEW])
        self.assertTrue(all("was changed" in body
                            for body in self.outbox().mapped("body")))
        event = self.env["prm.2fa.event"].search(
            [("user_id", "=", self.user.id), ("event", "=", "factor_changed")])
        self.assertEqual(event.detail, "number")
        self.assertEqual(event.author_id, self.env.user)

    def test_a_first_factor_is_told_but_starts_no_cooling_off(self):
        """A user's first number (none before) replaces nothing: audited and
        told, but exports and user management stay open (a fresh install
        gives the administrator his first number and must still issue keys)."""
        self.user.partner_id.with_context(prm_2fa_number_confirmed=True).write(
            {"mobile": False})
        self.user.write({"prm_2fa_factor_changed_at": False})
        self.user._prm_set_first_number(NEW)
        self.assertFalse(self.user.prm_2fa_factor_changed_at)
        self.service._prm_check_cooling_off("prm.2fa.api.key._issue", self.user)
        event = self.env["prm.2fa.event"].search(
            [("user_id", "=", self.user.id), ("event", "=", "factor_changed")])
        self.assertEqual(event.detail, "number (first)")
        self.assertEqual(self.outbox().mapped("to"), [NEW])

    def test_authenticator_change_is_mailed_without_sms(self):
        self.user._prm_factor_changed("totp_added")
        self.assertFalse(self.outbox())
        self.assertTrue(self.user.prm_2fa_factor_changed_at)
        mail = self.env["mail.mail"].sudo().search(
            [("email_to", "=", self.user.partner_id.email)], limit=1)
        self.assertIn("an authenticator app was added", mail.body_html)

    def test_refusal_names_the_end_in_berlin_time(self):
        changed = datetime.datetime.utcnow().replace(microsecond=0) - \
            datetime.timedelta(hours=1)
        self.user.write({"prm_2fa_factor_changed_at": fields.Datetime.to_string(
            changed)})
        end = pytz.utc.localize(changed + datetime.timedelta(hours=24))
        threading.current_thread().uid = self.user.id
        with self.assertRaises(UserError) as caught:
            self.service._prm_check_cooling_off("test")
        self.assertIn(end.astimezone(pytz.timezone("Europe/Berlin")).strftime(
            "%m/%d/%Y %H:%M"), caught.exception.name)
        # an account in its cooling-off (maybe taken over) cannot end it
        with self.assertRaises(UserError):
            self.user.sudo().action_prm_end_cooling_off()
        threading.current_thread().uid = self.env.ref("base.user_root").id
        self.user.sudo().action_prm_end_cooling_off()   # head office
        threading.current_thread().uid = self.user.id
        self.service._prm_check_cooling_off("test")
        self.assertEqual(self.env["prm.2fa.event"].search_count([
            ("user_id", "=", self.user.id), ("event", "=", "cooling_off_ended")]), 1)

    def test_no_session_and_no_call_means_the_system_acts(self):
        """Cron and installation run as superuser without a session: they
        are never held, whoever changed a factor."""
        threading.current_thread().uid = None
        self.assertFalse(self.service._prm_actor())
        self.assertEqual(self.service.sudo(self.user)._prm_actor(), self.user)
