from odoo import api, fields, models

from ..lib import demo_figures


class BenchmarkDemoLoader(models.AbstractModel):
    """Demo: 8 finished quarters of figures, the latest still open with some
    dealers missing (called from demo/benchmark_demo.xml)."""

    _name = "prm.benchmark.demo.loader"
    _description = "Benchmark demo loader"

    @api.model
    def load_demo_figures(self, missing_every=6):
        quarter_type = self.env.ref("prm_partner_portal.date_range_type_quarter")
        today = fields.Date.context_today(self)
        ranges = self.env["date.range"].search([
            ("type_id", "=", quarter_type.id), ("date_end", "<", today)],
            order="date_start")
        Period = self.env["prm.benchmark.period"]
        periods = []
        for index, date_range in enumerate(ranges):
            periods.append(Period.create({
                "date_range_id": date_range.id, "kind": "quarter",
                "state": "open" if index == len(ranges) - 1 else "published",
            }))
        dealers = self.env["res.partner"].search(
            [("prm_is_dealer", "=", True), ("prm_state", "=", "active")], order="id")
        specs = [{"key": dealer.id, "employees": dealer.prm_employee_count or 5,
                  "floor_space": dealer.prm_floor_space or 500.0}
                 for dealer in dealers]
        quarters = [{"name": period.name, "season": (fields.Date.from_string(
            period.date_start).month - 1) // 3 + 1} for period in periods]
        figures = demo_figures.network_figures(specs, quarters)
        inputs = {i.code: i.id for i in self.env["prm.benchmark.input"].search([])}
        Entry = self.env["prm.benchmark.entry"].with_context(tracking_disable=True)
        entries = Entry
        for position, dealer in enumerate(dealers):
            for period in periods:
                latest = period == periods[-1]
                if latest and position % missing_every == 0:
                    continue  # this dealer has not entered the latest quarter yet
                values = figures[(dealer.id, period.name)]
                entries |= Entry.create({
                    "partner_id": dealer.id, "period_id": period.id,
                    "state": "draft" if latest and position % 5 == 1 else "submitted",
                    "value_ids": [(0, 0, {"input_id": inputs[code], "value": value})
                                  for code, value in values.items() if code in inputs],
                })
        self.env["prm.benchmark.group"]._refresh_members()
        engine = self.env["prm.benchmark.engine"]
        for period in periods:  # oldest first: growth needs last year's KPIs
            engine._compute_kpis(entries.filtered(lambda e: e.period_id == period))
        engine._refresh_statistics(Period.browse([p.id for p in periods]))
        return True
