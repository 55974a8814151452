"""``_prm_takes_part`` of partners and users through the ORM (issue 22,
review finding 6): the one rule every programme feature asks."""
from odoo.exceptions import UserError
from odoo.tests.common import SavepointCase


class TestTakesPart(SavepointCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True,
                                       no_reset_password=True))
        cls.dealer = cls.env["res.partner"].create({
            "name": "Programme test dealer", "is_company": True,
            "prm_is_dealer": True, "prm_state": "active"})
        contact = cls.env["res.partner"].create({
            "name": "Programme test director", "parent_id": cls.dealer.id})
        cls.director = cls.env["res.users"].create({
            "name": "Programme test director", "login": "prm.programme.test",
            "partner_id": contact.id, "groups_id": [(6, 0, [cls.env.ref(
                "prm_partner_portal.group_prm_portal_director").id])]})

    def test_each_state(self):
        for state, expected in (("active", True), ("prospect", False),
                                ("suspended", False), ("terminated", False)):
            self.dealer.prm_state = state
            self.assertIs(self.dealer._prm_takes_part(), expected, state)
            # a contact and a user ask their company
            self.assertIs(self.director.partner_id._prm_takes_part(), expected)
            self.assertIs(self.director.sudo(self.director)._prm_takes_part(),
                          expected, state)

    def test_no_dealer_and_empty(self):
        self.assertFalse(self.env["res.partner"]._prm_takes_part())
        self.assertFalse(self.env["res.users"]._prm_takes_part())
        self.assertFalse(self.env.ref("base.main_partner")._prm_takes_part())

    def test_check_raises_translated_user_error(self):
        self.dealer.prm_state = "terminated"
        with self.assertRaises(UserError) as raised:
            self.dealer.with_context(lang="de_DE")._prm_check_takes_part()
        self.assertIn("nimmt derzeit nicht am Partnerprogramm teil",
                      raised.exception.name)

    def test_user_self_service_is_refused(self):
        self.dealer.prm_state = "suspended"
        admin = self.env["prm.portal.user.admin"].sudo(self.director)
        with self.assertRaises(UserError):
            admin._prm_invite("Bea", "bea.programme@dealer.example",
                              "0151 12345678", "bookkeeper")
        self.assertTrue(admin._prm_overview()["locked"])
