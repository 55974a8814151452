"""The exchange's refusals in the reader's language and number format
(issue 17/3: "12.3 MB" was shown to German users)."""
from odoo.tests.common import TransactionCase

from ..lib import chat_policy
from ..models.exchange_common import policy_error


class TestPolicyError(TransactionCase):

    def refusal(self, lang, size=12.3, max_mb=2.0):
        error = chat_policy.ChatPolicyError(
            "The file '%(name)s' is too large (%(size)s MB): at most %(max)s MB "
            "are allowed.", name="a.pdf", size=size, max=max_mb)
        return policy_error(error, self.env(context={"lang": lang})).name

    def test_german_reader_gets_german_numbers(self):
        if not self.env["res.lang"]._lang_get("de_DE"):
            self.skipTest("German is not installed")
        text = self.refusal("de_DE", 1234.5)
        self.assertIn("(1.234,5 MB)", text)
        self.assertIn("höchstens 2 MB.", text)

    def test_english_reader_gets_english_numbers(self):
        text = self.refusal("en_US", 12.3)
        self.assertIn("(12.3 MB)", text)
        self.assertIn("at most 2 MB", text)
