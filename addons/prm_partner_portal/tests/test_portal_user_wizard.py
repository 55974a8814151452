"""Head office creates a dealer's portal login with a permission class."""
from odoo.exceptions import UserError

from .common import PrmCase


class TestPortalUserWizard(PrmCase):

    def run_wizard(self, **values):
        vals = {"dealer_id": self.dealer_a1.id, "name": "Eva Neu",
                "email": "Eva.Neu@Dealer.example", "mobile": "+49 151 23456789",
                "portal_class": "bookkeeper"}
        vals.update(values)
        wizard = self.env["prm.portal.user.wizard"].sudo(self.manager).create(vals)
        action = wizard.action_apply()
        return self.env["res.users"].browse(action["context"]["prm_portal_user_id"])

    def test_creates_portal_user_with_class_and_invitation(self):
        user = self.run_wizard()
        self.assertEqual(user.login, "eva.neu@dealer.example")
        self.assertTrue(user.has_group("base.group_portal"))
        self.assertFalse(user.has_group("base.group_user"))
        self.assertEqual(user.prm_portal_class, "bookkeeper")
        self.assertEqual(user.commercial_partner_id, self.dealer_a1)
        self.assertEqual(user.partner_id.mobile, "+4915123456789")
        self.assertTrue(user.partner_id.signup_valid, "invitation token prepared")
        self.assertFalse(user.partner_id.signup_expiration, "invitations do not expire")

    def test_changing_class_updates_groups(self):
        user = self.run_wizard()
        self.run_wizard(user_id=user.id, portal_class="director")
        self.assertTrue(user.has_group("prm_partner_portal.group_prm_portal_director"))
        self.assertFalse(
            user.has_group("prm_partner_portal.group_prm_portal_bookkeeper"))
        self.assertTrue(user.has_group("base.group_portal"))

    def test_class_of_another_dealers_user_cannot_be_changed(self):
        with self.assertRaises(UserError):
            self.run_wizard(dealer_id=self.dealer_a2.id,
                            user_id=self.director_a1.id, portal_class="bookkeeper")
        self.assertEqual(self.director_a1.prm_portal_class, "director")

    def test_duplicate_login_is_refused(self):
        self.run_wizard()
        with self.assertRaises(UserError):
            self.run_wizard(email="eva.neu@dealer.example")

    def test_only_head_office_may_create_portal_users(self):
        from odoo.exceptions import AccessError
        with self.assertRaises(AccessError):
            self.env["prm.portal.user.wizard"].sudo(self.tm_a).create({
                "dealer_id": self.dealer_a1.id, "name": "X", "email": "x@y.example",
                "portal_class": "director"}).action_apply()
