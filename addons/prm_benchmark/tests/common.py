"""A small benchmark world built inside each test class (rolled back)."""
from odoo.tests.common import SavepointCase


class BenchmarkCase(SavepointCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True,
                                       no_reset_password=True))
        env = cls.env
        range_type = env["date.range.type"].create(
            {"name": "T benchmark quarters", "allow_overlap": False})
        DateRange = env["date.range"]
        Period = env["prm.benchmark.period"]

        def period(name, start, end, state="open"):
            date_range = DateRange.create({"name": name, "type_id": range_type.id,
                                           "date_start": start, "date_end": end})
            return Period.create({"date_range_id": date_range.id, "kind": "quarter",
                                  "state": state})

        cls.q_prev_year = period("T Q1/1998", "1998-01-01", "1998-03-31",
                                 "published")
        cls.q1 = period("T Q1/1999", "1999-01-01", "1999-03-31")
        cls.territory = env["prm.territory"].create(
            {"name": "T Bench", "code": "t-bench"})
        Partner = env["res.partner"]
        cls.dealers = Partner
        for index in range(7):
            cls.dealers |= Partner.create({
                "name": "T Bench Dealer %d" % index, "is_company": True,
                "prm_is_dealer": True, "prm_state": "active",
                "prm_territory_id": cls.territory.id,
                "prm_employee_count": 10 + index})
        cls.group = env["prm.benchmark.group"].create({
            "name": "T bench group", "kind": "explicit",
            "explicit_partner_ids": [(6, 0, cls.dealers.ids)]})
        cls.inputs = {i.code: i for i in env["prm.benchmark.input"].search([])}
        cls.kpi = {k.code: k for k in env["prm.benchmark.kpi"].search([])}

        def portal_user(login, dealer, klass="director"):
            # English, so the assertions can name the texts (the demo's
            # default language for new partners is German).
            partner = Partner.create({"name": login, "parent_id": dealer.id,
                                      "lang": "en_US"})
            return env["res.users"].create({
                "name": login, "login": login, "partner_id": partner.id,
                "groups_id": [(6, 0, [env.ref("base.group_portal").id, env.ref(
                    "prm_partner_portal.group_prm_portal_%s" % klass).id])]})

        cls.director0 = portal_user("t_bench_director0", cls.dealers[0])
        cls.bookkeeper0 = portal_user("t_bench_bookkeeper0", cls.dealers[0],
                                      "bookkeeper")
        cls.director1 = portal_user("t_bench_director1", cls.dealers[1])

    @classmethod
    def full_values(cls, revenue_new=100000.0, employees=10.0):
        """Every required input filled, keyed by input id."""
        codes = {code: 1000.0 for code in cls.inputs}
        codes.update({"rev_new": revenue_new, "employees": employees,
                      "operating_result": 500.0})
        return {cls.inputs[code].id: value for code, value in codes.items()}

    def refresh(self):
        """What the refresh worker does after commit: every stale period."""
        refreshed = self.env["prm.benchmark.engine"]._refresh_stale()
        self.env["prm.benchmark.stat"].invalidate_cache()
        return refreshed

    def save(self, dealer, values, period=None, user=None, version=None,
             submit=True):
        engine = self.env["prm.benchmark.engine"]
        if user:
            engine = engine.sudo(user)
        entry = self.env["prm.benchmark.entry"].search([
            ("partner_id", "=", dealer.id),
            ("period_id", "=", (period or self.q1).id)])
        if version is None:
            version = entry.version if entry else 0
        return engine._save_entry(dealer, period or self.q1, values,
                                  version=version, submit=submit)
