"""Who sees which dealer, target and claim (record rules and access rights)."""
from odoo.exceptions import AccessError

from .common import PrmCase


class TestAccess(PrmCase):

    def visible_dealers(self, user):
        return set(self.env["res.partner"].sudo(user).search([
            ("id", "in", self.dealers.ids)]).mapped("name"))

    def test_visible_dealers_per_role(self):
        everyone = {"T Dealer A1", "T Dealer A2", "T Dealer B"}
        expected = {
            self.tm_a: {"T Dealer A1", "T Dealer A2"},  # region A and its areas
            self.tm_b: {"T Dealer B"},
            self.manager: everyone,
            self.receivables: everyone,
            self.marketing: everyone,
            self.warranty: everyone,
            self.employee: everyone,  # no PRM role: core partner visibility
            self.director_a1: {"T Dealer A1"},
            self.bookkeeper_a1: {"T Dealer A1"},
            self.director_b: {"T Dealer B"},
        }
        actual = {user: self.visible_dealers(user) for user in expected}
        self.assertEqual(actual, expected)

    def test_head_office_is_one_rule(self):
        """PRM managers and administrators are head office; nobody else."""
        admin = self.env.ref("base.user_admin") if self.env.ref(
            "base.user_admin", False) else self.env.ref("base.user_root")
        expected = {self.manager: True, admin: True, self.tm_a: False,
                    self.receivables: False, self.marketing: False,
                    self.warranty: False, self.employee: False,
                    self.director_a1: False, self.bookkeeper_a1: False}
        actual = {user: user.sudo(self.director_b)._prm_is_head_office()
                  for user in expected}
        self.assertEqual(actual, expected)

    def test_territory_manager_still_sees_non_dealer_partners(self):
        found = self.env["res.partner"].sudo(self.tm_a).search(
            [("id", "=", self.customer.id)])
        self.assertEqual(found, self.customer)

    def test_territory_manager_change_applies_at_once(self):
        self.assertNotIn("T Dealer B", self.visible_dealers(self.tm_a))
        self.region_b.manager_id = self.tm_a
        self.assertIn("T Dealer B", self.visible_dealers(self.tm_a))

    def test_territory_manager_cannot_read_foreign_dealer_by_id(self):
        with self.assertRaises(AccessError):
            self.dealer_b.sudo(self.tm_a).read(["name"])

    def test_file_lookup_does_not_tell_whether_a_record_exists(self):
        """review9 F6: /web/image answered 403 for a record the user may
        not read and 404 for a missing id (an oracle over ids); both are
        now the same "not found" (``ir.http.binary_content``)."""
        Http = self.env["ir.http"]
        missing = self.dealers.sorted("id")[-1].id + 10 ** 6
        for user in (self.director_a1, self.tm_a):
            env = self.env(user=user.id)
            for record in (self.dealer_b.id, missing):
                self.assertEqual(Http.binary_content(
                    model="res.partner", id=record, field="image", env=env),
                    (404, [], None), (user.login, record))

    def test_targets_per_role(self):
        target_a = self.make_target(self.dealer_a1, self.q1, self.revenue, 100, 90)
        target_b = self.make_target(self.dealer_b, self.q1, self.revenue, 100, 90)
        Target = self.env["prm.target"]
        both = target_a | target_b
        self.assertEqual(Target.sudo(self.tm_a).search([("id", "in", both.ids)]),
                         target_a)
        self.assertEqual(Target.sudo(self.director_a1).search(
            [("id", "in", both.ids)]), target_a)
        self.assertEqual(Target.sudo(self.receivables).search(
            [("id", "in", both.ids)]), both)
        with self.assertRaises(AccessError):
            target_b.sudo(self.director_a1).read(["target_value"])
        with self.assertRaises(AccessError):
            Target.sudo(self.bookkeeper_a1).search([])
        with self.assertRaises(AccessError):
            target_a.sudo(self.director_a1).write({"actual_value": 1e9})
        with self.assertRaises(AccessError):
            target_a.sudo(self.receivables).write({"actual_value": 1})

    def test_territory_manager_edits_only_own_targets(self):
        target_a = self.make_target(self.dealer_a1, self.q1, self.revenue, 100, 90)
        target_b = self.make_target(self.dealer_b, self.q1, self.revenue, 100, 90)
        target_a.sudo(self.tm_a).write({"target_value": 120})
        self.assertEqual(target_a.target_value, 120)
        with self.assertRaises(AccessError):
            target_b.sudo(self.tm_a).write({"target_value": 1})

    def test_claims_per_role(self):
        Claim = self.env["crm.claim"]
        claim_a = Claim.create({"name": "T claim A", "partner_id": self.dealer_a2.id})
        claim_b = Claim.create({"name": "T claim B", "partner_id": self.dealer_b.id})
        both = claim_a | claim_b
        self.assertEqual(claim_a.prm_dealer_id, self.dealer_a2)
        self.assertEqual(Claim.sudo(self.tm_a).search([("id", "in", both.ids)]),
                         claim_a)
        self.assertEqual(Claim.sudo(self.warranty).search([("id", "in", both.ids)]),
                         both)
        claim_b.sudo(self.warranty).write({"description": "checked"})
        with self.assertRaises(AccessError):
            claim_b.sudo(self.receivables).write({"description": "no"})
        with self.assertRaises(AccessError):
            Claim.sudo(self.director_a1).search([])

    def test_configuration_is_head_office_only(self):
        with self.assertRaises(AccessError):
            self.env["prm.territory"].sudo(self.tm_a).create(
                {"name": "X", "code": "x"})
        with self.assertRaises(AccessError):
            self.revenue.sudo(self.tm_a).write({"name": "X"})
        self.env["prm.tier"].sudo(self.manager).create({"name": "X", "code": "t-x"})
