"""Demo data: benchmark figures of the demo network's dealers.

The figures come from ``lib/demo_figures.py``; this only stores them and
runs the product's KPI computation and statistics refresh on them.
"""
from datetime import timedelta

from odoo import _, api, fields, models

from ..lib import demo_figures


class BenchmarkDemoLoader(models.AbstractModel):
    """Demo: 8 finished quarters of figures, the latest still open with some
    dealers missing (called from demo/demo_figures.xml; private, so XML-RPC
    cannot call it)."""

    _name = "prm.benchmark.demo.loader"
    _description = "Benchmark demo loader"

    @api.model
    def _entering_user(self, dealer):
        """The dealer's bookkeeper or director who "entered" the demo figures."""
        users = self.env["res.users"].search(
            [("partner_id", "child_of", dealer.id)], order="login")
        return users[:1] or self.env.user

    @api.model
    def _load_demo_figures(self, missing_every=6):
        """Create the periods and entries; returns True.

        A database that already has benchmark periods (an earlier demo load)
        is left alone.
        """
        if self.env["prm.benchmark.period"].search_count([]):
            return True
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
        now = fields.Datetime.now()
        note = self.env.ref("mail.mt_note")
        body = _("Figures entered (demo data).")
        messages = []
        for position, dealer in enumerate(dealers):
            user = self._entering_user(dealer)
            for period in periods:
                latest = period == periods[-1]
                if latest and position % missing_every == 0:
                    continue  # this dealer has not entered the latest quarter yet
                values = figures[(dealer.id, period.name)]
                # Entered some days after the quarter, as dealers do; the
                # open quarter's figures just now.
                saved_on = min(now, fields.Datetime.to_string(
                    fields.Datetime.from_string(period.date_end)
                    + timedelta(days=5 + position % 20, hours=9)))
                state = "draft" if latest and position % 5 == 1 else "submitted"
                vals = {
                    "partner_id": dealer.id, "period_id": period.id,
                    "state": state,
                    "last_saved_by_id": user.id, "last_saved_on": saved_on,
                    "value_ids": [(0, 0, {"input_id": inputs[code], "value": value})
                                  for code, value in values.items() if code in inputs],
                }
                if state == "submitted":
                    vals.update(submitted_by_id=user.id, submitted_on=saved_on)
                entry = Entry.create(vals)
                messages.append({
                    "model": entry._name, "res_id": entry.id,
                    "message_type": "notification", "subtype_id": note.id,
                    "author_id": user.partner_id.id, "date": saved_on,
                    "body": body})
                entries |= entry
        # The audit line a save writes, without followers or notifications
        # (nobody is notified of demo data).
        for message in messages:
            self.env["mail.message"].create(message)
        self.env["prm.benchmark.group"]._refresh_members()
        engine = self.env["prm.benchmark.engine"]
        for period in periods:  # oldest first: growth needs last year's KPIs
            engine._compute_kpis(entries.filtered(lambda e: e.period_id == period))
        engine._refresh_statistics(Period.browse([p.id for p in periods]))
        return True
