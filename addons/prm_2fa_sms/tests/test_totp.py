"""Authenticator app and recovery codes through the ORM (issue 21)."""
import time

import pyotp

from odoo.exceptions import AccessError, UserError
from odoo.tests.common import TransactionCase

from ..lib.methods import (NoCurrentFactorError, TotpNotAllowedError,
                           TotpRequiredError)
from ..lib.factor_change import CurrentFactorCodeMissingError, NoWorkingNumberError
from ..lib.policy import AccountLockedError, CodeUsedError


class TestTotp(TransactionCase):

    def setUp(self):
        super().setUp()
        self.service = self.env["prm.2fa.service"].sudo()
        self.user = self.env["res.users"].create({
            "name": "Totp ORM", "login": "totp.orm@example.com",
            "email": "totp.orm@example.com", "lang": "de_DE",
            "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])]})
        self.step = int(time.time()) // 30

    def enrol(self):
        key = self.service._totp_begin(self.user)["key"].replace(" ", "")
        app = pyotp.TOTP(key)
        error, codes = self.service._totp_confirm(
            self.user, app.at(self.step * 30), None)
        self.assertIsNone(error)
        return app, codes

    def events(self, event):
        return self.env["prm.2fa.event"].sudo().search_count(
            [("user_id", "=", self.user.id), ("event", "=", event)])

    def test_enrolment_needs_a_right_code_and_keeps_its_secret(self):
        first = self.service._totp_begin(self.user)
        self.assertEqual(self.service._totp_begin(self.user)["key"], first["key"],
                         "a reload shows the same QR code")
        error, codes = self.service._totp_confirm(self.user, "000000", None)
        self.assertTrue(error)
        self.assertFalse(self.service._has_totp(self.user))
        app = pyotp.TOTP(first["key"].replace(" ", ""))
        error, codes = self.service._totp_confirm(
            self.user, app.at(self.step * 30), None)
        self.assertIsNone(error)
        self.assertEqual(len(codes), 10)
        self.assertTrue(self.user.prm_totp_enrolled)
        self.assertEqual(self.user.prm_recovery_codes_left, 10)
        self.assertEqual(self.events("totp_enrolled"), 1)

    def test_a_time_step_signs_in_once(self):
        app, _codes = self.enrol()
        # the set-up used this step already
        self.assertIsInstance(self.service._check_totp(
            self.user, app.at(self.step * 30), None), CodeUsedError)
        code = app.at((self.step + 1) * 30)
        self.assertIsNone(self.service._check_totp(self.user, code, None))
        self.assertIsInstance(self.service._check_totp(self.user, code, None),
                              CodeUsedError)

    def test_wrong_codes_of_every_kind_lock_together(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "prm_2fa_sms.lockout_after_failures", "3")
        app, codes = self.enrol()
        self.service._check_totp(self.user, "000000" if app.now() != "000000"
                                 else "111111", None)
        self.service._check_recovery(self.user, "zzzzz-zzzzz", None)
        error = self.service._check_totp(self.user, "abc", None)
        self.assertIsInstance(error, AccountLockedError)
        self.assertIsInstance(self.service._check_recovery(self.user, codes[0], None),
                              AccountLockedError)
        self.assertIsInstance(self.service._check_totp(
            self.user, app.at((self.step + 1) * 30), None), AccountLockedError)
        self.assertEqual(self.user.prm_recovery_codes_left, 10, "nothing used")

    def test_recovery_code_once_audited_and_mailed_in_the_users_language(self):
        _app, codes = self.enrol()
        self.assertIsNone(self.service._check_recovery(self.user, codes[2], None))
        self.assertTrue(self.service._check_recovery(self.user, codes[2], None))
        self.assertEqual(self.user.prm_recovery_codes_left, 9)
        self.assertEqual(self.events("recovery_used"), 1)
        mail = self.env["mail.mail"].sudo().search(
            [("email_to", "=", self.user.email)], order="id desc", limit=1)
        self.assertIn("Wiederherstellungscode", mail.subject)
        self.assertIn("noch 9 Wiederherstellungscodes", mail.body_html)

    def test_new_recovery_codes_need_a_current_factor(self):
        app, codes = self.enrol()
        error, new = self.service._recovery_regenerate(self.user, "000000", None)
        self.assertTrue(error)
        self.assertIsNone(new)
        error, new = self.service._recovery_regenerate(
            self.user, app.at((self.step + 1) * 30), None)
        self.assertIsNone(error)
        self.assertEqual(len(new), 10)
        self.assertFalse(set(new) & set(codes))
        self.assertTrue(self.service._check_recovery(self.user, codes[0], None),
                        "the old codes are void")
        self.assertEqual(self.events("recovery_generated"), 1)

    def test_removal_needs_a_current_factor(self):
        app, _codes = self.enrol()
        self.assertTrue(self.service._totp_remove(self.user, "000000", None))
        self.assertTrue(self.service._has_totp(self.user))
        self.assertIsNone(self.service._totp_remove(
            self.user, app.at((self.step + 1) * 30), None))
        self.assertFalse(self.service._has_totp(self.user))
        self.assertEqual(self.events("totp_removed"), 1)

    def test_removal_refused_while_the_policy_requires_the_app(self):
        app, _codes = self.enrol()
        self.env["ir.config_parameter"].sudo().set_param(
            "prm_2fa_sms.portal_methods", "totp")
        self.assertIsInstance(self.service._totp_remove(
            self.user, app.at((self.step + 1) * 30), None), TotpRequiredError)
        self.assertTrue(self.service._has_totp(self.user))

    def test_without_app_or_sms_code_nothing_confirms_a_change(self):
        self.assertIsInstance(self.service._check_current_factor(
            self.user, "123456", None), (NoCurrentFactorError,
                                         CurrentFactorCodeMissingError,
                                         NoWorkingNumberError))

    def test_only_head_office_resets_and_it_is_audited(self):
        self.enrol()
        with self.assertRaises(AccessError):
            self.user.sudo(self.env.ref("base.user_demo"))\
                .action_prm_2fa_reset_methods()
        with self.assertRaises(AccessError):
            self.user.sudo(self.env.ref("base.user_demo"))\
                ._prm_reset_methods("callback")
        with self.assertRaises(UserError):
            self.user._prm_reset_methods()   # no identity check recorded
        self.user._prm_reset_methods("callback", "landline called back")
        self.assertFalse(self.user.prm_totp_enrolled)
        self.assertEqual(self.user.prm_recovery_codes_left, 0)
        self.assertEqual(self.events("methods_reset"), 1)

    def test_nobody_reads_secrets_or_hashes(self):
        self.enrol()
        admin = self.env["res.users"].create({
            "name": "Totp admin", "login": "totp.admin@example.com",
            "groups_id": [(6, 0, [self.env.ref("base.group_user").id,
                                  self.env.ref("base.group_system").id])]})
        for model in ("prm.2fa.totp", "prm.2fa.recovery.code"):
            for user in (admin, self.user):
                with self.assertRaises(AccessError):
                    self.env[model].sudo(user).search([]).read(["user_id"])
                    self.env[model].sudo(user).check_access_rights("read")

    def test_the_wizard_acts_on_the_signed_in_user_only(self):
        other = self.env.ref("base.user_demo")
        with self.assertRaises(AccessError):
            self.user.sudo(other).with_context(prm_totp_mode="enrol")\
                .action_prm_totp_wizard()
        with self.assertRaises(UserError):
            other.sudo(other).with_context(prm_totp_mode="bogus")\
                .action_prm_totp_wizard()
        action = other.sudo(other).with_context(prm_totp_mode="enrol")\
            .action_prm_totp_wizard()
        wizard = self.env["prm.2fa.totp.wizard"].sudo(other).browse(action["res_id"])
        self.assertIn("data:image/svg+xml", wizard.qr_html)
        key = wizard.manual_key.replace(" ", "")
        wizard.code = "000000" if pyotp.TOTP(key).now() != "000000" else "111111"
        wizard.action_confirm()
        self.assertTrue(wizard.error)
        self.assertFalse(self.service._has_totp(other))
        wizard.code = pyotp.TOTP(key).at(self.step * 30)
        shown = wizard.action_confirm()
        self.assertEqual(wizard.state, "done")
        # shown once through the action's context, never stored in the record
        self.assertFalse(wizard.recovery_codes)
        self.assertEqual(len(wizard.with_context(shown["context"])
                             .recovery_codes.split("\n")), 10)
        self.assertTrue(self.service._has_totp(other))
        self.assertFalse(self.service._has_totp(self.user))

    def test_method_settings_are_admin_only(self):
        settings = self.env["res.config.settings"].create(
            {"prm_2fa_internal_methods": "sms"})
        with self.assertRaises(AccessError):
            settings.sudo(self.env.ref("base.user_demo")).set_values()
        settings.set_values()
        self.assertEqual(self.service._param("internal_methods"), "sms")

    def test_preferences_show_the_own_state_to_internal_and_portal_users(self):
        view = self.env.ref("prm_2fa_sms.res_users_view_form_preferences_totp")
        self.assertTrue(view.active)
        internal = self.env.ref("base.user_demo")
        for user in (internal, self.user):
            arch = self.env["res.users"].sudo(user).fields_view_get(
                view_id=self.env.ref("base.view_users_form_simple_modif").id,
                view_type="form")["arch"]
            self.assertIn("action_prm_totp_wizard", arch)
            # what the preferences dialog reads, as the user
            values = user.sudo(user).read(["name", "prm_totp_enrolled",
                                           "prm_recovery_codes_left",
                                           "prm_totp_allowed"])[0]
            self.assertFalse(values["prm_totp_enrolled"])
            self.assertTrue(values["prm_totp_allowed"])

    def test_no_set_up_outside_the_2fa_scope(self):
        """Outside the scope the app would protect nothing: not offered."""
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("prm_2fa_sms.scope", "internal")
        self.assertFalse(self.user.prm_totp_allowed)
        with self.assertRaises(TotpNotAllowedError):
            self.service._totp_begin(self.user)
        params.set_param("prm_2fa_sms.scope", "all")
        self.user.invalidate_cache()
        self.assertTrue(self.user.prm_totp_allowed)
