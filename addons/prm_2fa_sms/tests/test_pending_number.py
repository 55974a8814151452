"""Issue 17/13 on the other 2FA number field: the pending (not yet
confirmed) number was stored as written ("+49 171 ABCDEFG" by RPC, the form
shows it read-only) and a confirmation code went to it."""
from odoo.exceptions import ValidationError
from odoo.tests.common import TransactionCase

from ..lib.phone import PhoneCharactersError


class TestPendingNumber(TransactionCase):

    def setUp(self):
        super().setUp()
        self.user = self.env.ref("base.user_demo")

    def test_letters_in_a_pending_number_are_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self.user.write({"prm_2fa_mobile_pending": "+49 171 ABCDEFG"})
        self.assertIn("may contain only digits", str(caught.exception))
        self.assertFalse(self.user.prm_2fa_mobile_pending)

    def test_a_pending_number_is_stored_in_e164(self):
        self.user.write({"prm_2fa_mobile_pending": "+49 (151) 2222-3333"})
        self.assertEqual(self.user.prm_2fa_mobile_pending, "+4915122223333")

    def test_landline_is_not_a_pending_second_factor(self):
        with self.assertRaises(ValidationError):
            self.user.write({"prm_2fa_mobile_pending": "0511 1234567"})

    def test_no_code_goes_to_an_unchecked_number(self):
        self.user.partner_id.with_context(prm_2fa_number_confirmed=True).write(
            {"mobile": "+4915110000099"})
        service = self.env["prm.2fa.service"].sudo()
        with self.assertRaises(PhoneCharactersError):
            service._send_code(self.user, None, number="+49 171 ABCDEFG")
        self.assertFalse(self.env["prm.2fa.challenge"].sudo().search([
            ("user_id", "=", self.user.id), ("purpose", "=", "number")]))

    def create_user(self, pending, login):
        return self.env["res.users"].create({
            "name": "Pending Create", "login": login,
            "prm_2fa_mobile_pending": pending})

    def test_creating_a_user_checks_the_pending_number(self):
        # issue 17/13: only write checked it; create (also over RPC) stored
        # "+49 171 ABCDEFG" as written
        with self.assertRaises(ValidationError) as caught:
            self.create_user("+49 171 ABCDEFG", "letters@example.com")
        self.assertIn("may contain only digits", str(caught.exception))
        user = self.create_user("0151 2222-3333", "digits@example.com")
        self.assertEqual(user.prm_2fa_mobile_pending, "+4915122223333")

    def test_a_pending_number_pasted_with_no_break_spaces(self):
        # web pages and word processors write U+00A0 / U+202F between groups
        self.user.write(
            {"prm_2fa_mobile_pending": "+49\u00a0151\u202f2222\u20093333"})
        self.assertEqual(self.user.prm_2fa_mobile_pending, "+4915122223333")
