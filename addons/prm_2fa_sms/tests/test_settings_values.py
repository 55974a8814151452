"""The 2FA settings save what the administrator entered.

A saved 0 ("no resend cooldown", "no cooling-off", "no trusted devices")
came back as the default (30 s, 24 h, 30 days): ``0 in (False, None)`` is
true in Python. The full suite found it: saving another setting over RPC
put the resend cooldown of 0 back to 30 s.
"""
from odoo.exceptions import UserError
from odoo.tests.common import TransactionCase

from ..lib.policy import SETTING_MINIMUMS


class TestSettingsValues(TransactionCase):

    def setUp(self):
        super().setUp()
        self.params = self.env["ir.config_parameter"].sudo()

    def save(self, **values):
        settings = self.env["res.config.settings"].create(
            {"prm_2fa_%s" % key: value for key, value in values.items()})
        settings.execute()

    def param(self, key):
        return self.params.get_param("prm_2fa_sms.%s" % key)

    def test_zero_is_saved_where_it_means_off(self):
        self.save(resend_cooldown_seconds=0, cooling_off_hours=0, trust_days=0)
        self.assertEqual(self.param("resend_cooldown_seconds"), "0")
        self.assertEqual(self.param("cooling_off_hours"), "0")
        self.assertEqual(self.param("trust_days"), "0")
        policy = self.env["prm.2fa.service"]._policy()
        self.assertEqual(policy.resend_cooldown_seconds, 0)

    def test_saving_one_setting_keeps_a_zero_of_another(self):
        self.save(resend_cooldown_seconds=0)
        self.save(scope="internal")
        self.assertEqual(self.param("resend_cooldown_seconds"), "0")
        self.assertEqual(self.param("scope"), "internal")

    def test_a_value_below_the_minimum_is_refused_and_nothing_saved(self):
        before = {key: self.param(key) for key in SETTING_MINIMUMS}
        for key, minimum in SETTING_MINIMUMS.items():
            with self.assertRaises(UserError) as caught:
                self.save(scope="internal", **{key: minimum - 1})
            self.assertIn(str(minimum), caught.exception.name)
        self.assertEqual({key: self.param(key) for key in SETTING_MINIMUMS}, before)
        self.assertNotEqual(self.param("scope"), "internal")

    def test_the_message_is_german_for_a_german_administrator(self):
        admin = self.env.ref("base.user_root")
        settings = self.env["res.config.settings"].sudo(admin).with_context(
            lang="de_DE").create({"prm_2fa_validity_seconds": 0})
        with self.assertRaises(UserError) as caught:
            settings.execute()
        self.assertIn("mindestens 1", caught.exception.name)
        self.assertIn("Gültigkeit", caught.exception.name)
