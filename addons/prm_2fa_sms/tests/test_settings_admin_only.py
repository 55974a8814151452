"""res.config.settings.set_values is a public method, reachable over RPC
(``call_kw``) without the administrator check of ``execute``; the SMS
override writes the 2FA parameters as superuser. Only administrators may
change them (outside review)."""
from odoo.exceptions import AccessError
from odoo.tests.common import TransactionCase


class TestSettingsWrite(TransactionCase):

    def check(self, user):
        params = self.env["ir.config_parameter"].sudo()
        before = params.get_param("prm_2fa_sms.scope")
        # prepared by an administrator, saved by the other user: what a
        # call_kw(res.config.settings, set_values, [id]) of that user runs
        settings = self.env["res.config.settings"].create({
            "prm_2fa_scope": "none", "prm_2fa_provider": "http",
            "prm_2fa_http_url": "http://attacker.invalid/sms"})
        with self.assertRaises(AccessError):
            settings.sudo(user).set_values()
        self.assertEqual(params.get_param("prm_2fa_sms.scope"), before)
        self.assertNotEqual(params.get_param("prm_2fa_sms.http_url"),
                            "http://attacker.invalid/sms")

    def test_internal_non_admin_cannot_change_2fa_settings(self):
        self.check(self.env.ref("base.user_demo"))

    def test_portal_user_cannot_change_2fa_settings(self):
        portal = self.env["res.users"].search(
            [("share", "=", True), ("active", "=", True)], limit=1)
        self.assertTrue(portal)
        self.check(portal)
