"""Property test (outside review of issue 18): after any sequence of
changes in one period, the partial refresh equals a full recomputation
(same period only)."""
from hypothesis import HealthCheck, given, settings, strategies as st

from .test_partial_refresh_equals_full import stat_rows
from .test_staleness import REVENUES, StalenessCase

OPTIONAL = ["rev_other", "hours_warranty", "backlog_used"]

ops = st.lists(st.one_of(
    st.tuples(st.just("save"), st.integers(0, 6),
              st.sampled_from([None, 1.0, 5000.0, 90000.0, 400000.0]),
              st.sampled_from([None, 0.0, 700.0]), st.booleans()),
    st.tuples(st.just("send_back"), st.integers(0, 6)),
    st.tuples(st.just("correct"), st.integers(0, 6),
              st.sampled_from([1.0, 250000.0])),
    st.tuples(st.just("delete"), st.integers(0, 6)),
    st.tuples(st.just("refresh"),),
    st.tuples(st.just("kpi_active"), st.sampled_from(["billable_ratio", "growth"])),
    st.tuples(st.just("formula"), st.sampled_from([
        "hours_billable / hours_attendance * 100",
        "hours_billable / hours_attendance * 50"])),
    st.tuples(st.just("band"), st.sampled_from([1000.0, 100000.0, 300000.0])),
), min_size=1, max_size=8)


class TestPropPartial(StalenessCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["prm.benchmark.group"].create({
            "name": "T band", "kind": "rule", "revenue_min": 100000.0,
            "territory_ids": [(6, 0, cls.territory.ids)]})
        cls.env["prm.benchmark.engine"]._refresh_stale()

    def stat_rows(self):
        return stat_rows(self.env.cr, self.q1)

    def entry(self, index):
        return self.env["prm.benchmark.entry"].search([
            ("partner_id", "=", self.dealers[index].id),
            ("period_id", "=", self.q1.id)])

    def apply(self, op):
        if op[0] == "save":
            _op, index, revenue, hours, submit = op
            values = self.full_values(revenue_new=revenue or REVENUES[index])
            for code in OPTIONAL:
                if code in self.inputs and revenue is None:
                    values[self.inputs[code].id] = None
            if hours is not None:
                values[self.inputs["hours_billable"].id] = hours
            if self.entry(index).state in ("submitted", "checked") and not submit:
                return
            self.save(self.dealers[index], values, submit=submit)
        elif op[0] == "send_back":
            entry = self.entry(op[1])
            if entry.state in ("submitted", "checked"):
                entry.review_comment = "fix"
                entry.action_send_back()
        elif op[0] == "correct":
            value = self.env["prm.benchmark.value"].search([
                ("entry_id", "=", self.entry(op[1]).id),
                ("input_id", "=", self.inputs["rev_new"].id)])
            if value:
                value.value = op[2]
        elif op[0] == "delete":
            self.entry(op[1]).unlink()
        elif op[0] == "kpi_active":
            kpi = self.env["prm.benchmark.kpi"].with_context(
                active_test=False).search([("code", "=", op[1])])
            kpi.active = not kpi.active
        elif op[0] == "formula":
            self.kpi["billable_ratio"].formula = op[1]
        elif op[0] == "band":
            self.env["prm.benchmark.group"].search(
                [("name", "=", "T band")]).revenue_min = op[1]
        else:
            self.refresh()

    @settings(max_examples=40, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(ops)
    def test_partial_equals_full(self, sequence):
        cr = self.env.cr
        cr.execute("SAVEPOINT review6_prop")
        try:
            for op in sequence:
                self.apply(op)
            self.refresh()
            changed = self.engine._compute_kpis(self.env[
                "prm.benchmark.entry"].search([("period_id", "=", self.q1.id)]))
            self.assertEqual(changed[self.q1.id], set(), sequence)
            partial = self.stat_rows()
            self.engine._refresh_statistics(self.q1)
            full = self.stat_rows()
            self.assertEqual(sorted(set(full) ^ set(partial)), [], sequence)
            for pair, row in full.items():
                self.assertEqual(partial[pair], row, (pair, sequence))
        finally:
            cr.execute("ROLLBACK TO SAVEPOINT review6_prop")
            self.env.clear()
