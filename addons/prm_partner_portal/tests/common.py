"""Shared fixtures for the ORM tests: a small network built inside the test."""
from odoo.tests.common import SavepointCase


class PrmCase(SavepointCase):
    """Two regions (one with two areas), dealers, users of every role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=dict(cls.env.context, tracking_disable=True,
                                   no_reset_password=True))
        cls.env = env
        ref = env.ref
        cls.Users = env["res.users"]

        def user(login, *groups, partner=None):
            # English, so the assertions can name the texts (the demo's
            # default language for new partners is German).
            vals = {"name": login.title(), "login": login, "lang": "en_US",
                    "email": "%s@t.example" % login,
                    "groups_id": [(6, 0, [ref(g).id for g in groups])]}
            if partner:
                vals["partner_id"] = partner.id
            return cls.Users.create(vals)

        cls.tm_a = user("t_tm_a", "prm_partner_portal.group_prm_user")
        cls.tm_b = user("t_tm_b", "prm_partner_portal.group_prm_user")
        cls.manager = user("t_manager", "prm_partner_portal.group_prm_manager")
        cls.receivables = user(
            "t_receivables", "prm_partner_portal.group_prm_receivables")
        cls.marketing = user("t_marketing", "prm_partner_portal.group_prm_marketing")
        cls.warranty = user("t_warranty", "prm_partner_portal.group_prm_warranty")
        cls.employee = user("t_employee", "base.group_user")
        Territory = env["prm.territory"]
        cls.region_a = Territory.create({"name": "T Region A", "code": "t-a",
                                         "manager_id": cls.tm_a.id})
        cls.area_a1 = Territory.create({"name": "T Area A1", "code": "t-a1",
                                        "parent_id": cls.region_a.id})
        cls.area_a2 = Territory.create({"name": "T Area A2", "code": "t-a2",
                                        "parent_id": cls.region_a.id})
        cls.region_b = Territory.create({"name": "T Region B", "code": "t-b",
                                         "manager_id": cls.tm_b.id})
        Partner = env["res.partner"]

        def dealer(name, territory, employees=10):
            return Partner.create({"name": name, "is_company": True,
                                   "prm_is_dealer": True, "prm_state": "active",
                                   "prm_territory_id": territory.id,
                                   "prm_employee_count": employees})

        cls.dealer_a1 = dealer("T Dealer A1", cls.area_a1, 5)
        cls.dealer_a2 = dealer("T Dealer A2", cls.area_a2, 25)
        cls.dealer_b = dealer("T Dealer B", cls.region_b, 60)
        cls.customer = Partner.create({"name": "T End customer", "is_company": True})
        cls.dealers = cls.dealer_a1 | cls.dealer_a2 | cls.dealer_b
        cls.director_a1 = user(
            "t_director_a1", "prm_partner_portal.group_prm_portal_director",
            partner=Partner.create({"name": "T Director A1",
                                    "parent_id": cls.dealer_a1.id}))
        cls.bookkeeper_a1 = user(
            "t_bookkeeper_a1", "prm_partner_portal.group_prm_portal_bookkeeper",
            partner=Partner.create({"name": "T Bookkeeper A1",
                                    "parent_id": cls.dealer_a1.id}))
        cls.director_b = user(
            "t_director_b", "prm_partner_portal.group_prm_portal_director",
            partner=Partner.create({"name": "T Director B",
                                    "parent_id": cls.dealer_b.id}))
        quarter = ref("prm_partner_portal.date_range_type_quarter")
        DateRange = env["date.range"]
        cls.q1 = DateRange.create({"name": "T Q1/2001", "type_id": quarter.id,
                                   "date_start": "2001-01-01",
                                   "date_end": "2001-03-31"})
        cls.q2 = DateRange.create({"name": "T Q2/2001", "type_id": quarter.id,
                                   "date_start": "2001-04-01",
                                   "date_end": "2001-06-30"})
        cls.revenue = ref("prm_partner_portal.metric_revenue")
        cls.units = ref("prm_partner_portal.metric_machine_units")

    @classmethod
    def make_target(cls, dealer, period, metric, target, actual):
        return cls.env["prm.target"].create({
            "partner_id": dealer.id, "date_range_id": period.id,
            "metric_id": metric.id, "target_value": target, "actual_value": actual})
