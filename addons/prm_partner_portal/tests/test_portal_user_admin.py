"""A managing director manages his company's portal users (issue 22)."""
import itertools

from odoo.exceptions import AccessError, UserError, ValidationError

from ..lib import portal_users as rules
from .common import PrmCase

PORTAL_GROUPS = ("base.group_portal",
                 "prm_partner_portal.group_prm_portal_director",
                 "prm_partner_portal.group_prm_portal_bookkeeper")


class TestPortalUserAdmin(PrmCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "prm_partner_portal.portal_user_limit", "10")

    def admin(self, user=None):
        return self.env["prm.portal.user.admin"].sudo(user or self.director_a1)

    def invite(self, user=None, **values):
        vals = {"name": "Eva Neu", "email": "Eva.Neu@Dealer.example",
                "mobile": "0151 23456789", "portal_class": "bookkeeper"}
        vals.update(values)
        return self.admin(user)._prm_invite(**vals)

    def counts(self):
        Partner = self.env["res.partner"].with_context(active_test=False)
        Users = self.env["res.users"].with_context(active_test=False)
        return Partner.search_count([]), Users.search_count([])

    def events(self, dealer=None):
        return self.env["prm.portal.user.event"].search(
            [("dealer_id", "=", (dealer or self.dealer_a1).id)])

    def test_director_invites_a_bookkeeper(self):
        user = self.invite().sudo()
        self.assertEqual(user.login, "eva.neu@dealer.example")
        self.assertEqual(user.commercial_partner_id, self.dealer_a1)
        self.assertEqual(user.prm_portal_class, "bookkeeper")
        self.assertTrue(user.share)
        self.assertEqual(user.partner_id.mobile, "+4915123456789",
                         "the project's phone normaliser, as typed")
        self.assertTrue(user.partner_id.signup_valid, "the invitation token")
        self.assertTrue(self.env["mail.mail"].search(
            [("body_html", "like", user.partner_id.signup_token)]),
            "the same sign-up invitation as head office's")
        event = self.events()
        self.assertEqual((event.action, event.user_id, event.author_id),
                         ("invited", user, self.director_a1))

    def assert_refused(self, error, **values):
        before = self.counts(), len(self.events())
        with self.assertRaises(error) as caught:
            self.invite(**values)
        self.assertEqual((self.counts(), len(self.events())), before,
                         "nothing half-saved")
        return str(caught.exception)

    def test_bad_input_stores_nothing(self):
        self.invite()
        text = self.assert_refused(UserError, email="EVA.NEU@dealer.example")
        self.assertIn("already exists", text)
        self.assert_refused(UserError, email=self.employee.login,
                            name="Employee's login")
        self.assert_refused(ValidationError, email="x@dealer.example",
                            mobile="0151 abc")
        self.assert_refused(ValidationError, email="x@dealer.example",
                            mobile="12")
        self.assert_refused(UserError, email="no-address")
        self.assert_refused(UserError, email="x@dealer.example",
                            portal_class="manager")

    def test_limit_per_dealer_and_network_default(self):
        # two active users in A1 already (director, bookkeeper)
        self.env["ir.config_parameter"].sudo().set_param(
            "prm_partner_portal.portal_user_limit", "2")
        text = self.assert_refused(UserError)
        self.assertIn("at most 2 active", text)
        self.dealer_a1.prm_user_limit = 3
        self.invite()
        self.assert_refused(UserError, email="second@dealer.example")

    def test_head_office_lock(self):
        self.dealer_a1.prm_user_selfservice_locked = True
        self.assert_refused(UserError)
        with self.assertRaises(UserError):
            self.admin()._prm_change(self.bookkeeper_a1.id, active=False)
        self.assertTrue(self.bookkeeper_a1.active)

    def test_only_directors_of_a_partner_company(self):
        for user in (self.bookkeeper_a1, self.tm_a, self.employee):
            with self.assertRaises(AccessError):
                self.invite(user)
            with self.assertRaises(AccessError):
                self.admin(user)._prm_change(self.bookkeeper_a1.id, active=False)

    def test_deactivation_ends_sign_ins_and_is_audited(self):
        user = self.bookkeeper_a1
        stamp = user.sudo().prm_security_stamp
        self.admin()._prm_change(user.id, active=False)
        self.assertFalse(user.active)
        self.assertNotEqual(user.sudo().prm_security_stamp, stamp,
                            "sessions and API keys end at once")
        self.assertIsNone(self.env["res.users"]._prm_stamp(user.id))
        self.admin()._prm_change(user.id, active=True)
        self.admin()._prm_change(user.id, portal_class="director")
        self.assertEqual(user.prm_portal_class, "director")
        self.assertEqual(self.events().mapped("action"), [
            "class_changed", "reactivated", "deactivated"])
        self.assertEqual(self.events().mapped("author_id"), self.director_a1)

    def test_head_office_reads_the_audit_on_the_dealer(self):
        self.admin()._prm_change(self.bookkeeper_a1.id, active=False)
        dealer = self.dealer_a1.sudo(self.manager)
        self.assertEqual(dealer.prm_user_event_ids.action, "deactivated")
        with self.assertRaises(AccessError):
            self.env["prm.portal.user.event"].sudo(self.director_a1).search([])

    def test_another_director_may_demote_the_first_one(self):
        second = self.invite(email="second@dealer.example",
                             portal_class="director")
        self.admin(second)._prm_change(self.director_a1.id,
                                       portal_class="bookkeeper")
        self.assertEqual(self.director_a1.prm_portal_class, "bookkeeper")
        with self.assertRaises(AccessError):
            self.invite(self.director_a1, email="third@dealer.example")

    def test_combinations_of_role_company_and_active(self):
        """Every target (own director/bookkeeper active or not, himself,
        another company's director, an internal user) with every change:
        either the change the rules allow happens exactly, with nothing but
        the portal groups, or nothing changes."""
        other_director = self.invite(email="d2@dealer.example",
                                     portal_class="director")
        sleeping = self.invite(email="sleeping@dealer.example")
        self.admin()._prm_change(sleeping.id, active=False)
        targets = [self.director_a1, other_director, self.bookkeeper_a1,
                   sleeping, self.director_b, self.employee, self.manager]
        changes = [{"active": False}, {"active": True},
                   {"portal_class": "director"}, {"portal_class": "bookkeeper"}]
        group_ids = {self.env.ref(xmlid) for xmlid in PORTAL_GROUPS}
        for target, change in itertools.product(targets, changes):
            with self.subTest(target=target.login, change=change):
                before = (target.active, target.prm_portal_class,
                          target.groups_id)
                try:
                    with self.env.cr.savepoint():
                        self.admin()._prm_change(target.id, **change)
                        self.assertEqual(target.active,
                                         change.get("active", before[0]))
                        self.assertEqual(target.prm_portal_class,
                                         change.get("portal_class", before[1]))
                        self.assertLessEqual(set(target.groups_id), group_ids)
                        self.assertEqual(target.commercial_partner_id,
                                         self.dealer_a1)
                        self.assertNotEqual(target, self.director_a1)
                        raise _RolledBack()
                except _RolledBack:
                    pass
                except rules.NotManageable:
                    self.assertTrue(target.commercial_partner_id != self.dealer_a1
                                    or not target.share)
                except UserError:
                    pass
                target.invalidate_cache()
                self.assertEqual((target.active, target.prm_portal_class,
                                  target.groups_id), before)


class _RolledBack(Exception):
    """Leaves the savepoint of one combination after its assertions."""
