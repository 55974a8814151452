import datetime

from odoo import api, fields, models, _
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from .benchmark_entry import SUBMITTED_STATES


class BenchmarkPeriod(models.Model):
    """A comparison period: open for entry -> closed -> published.

    Dates come from an OCA ``date.range`` (shared with the targets), so a
    target and a benchmark period of the same quarter line up.
    """

    _name = "prm.benchmark.period"
    _description = "Benchmark period"
    _order = "date_start desc"
    _inherit = ["mail.thread"]

    date_range_id = fields.Many2one(
        "date.range", string="Dates", required=True, ondelete="restrict")
    name = fields.Char(related="date_range_id.name", store=True, readonly=True)
    date_start = fields.Date(
        related="date_range_id.date_start", store=True, readonly=True)
    date_end = fields.Date(related="date_range_id.date_end", store=True,
                           readonly=True)
    kind = fields.Selection([
        ("month", "Month"), ("quarter", "Quarter"), ("year", "Year"),
    ], required=True, default="quarter")
    state = fields.Selection([
        ("open", "Open for entry"),
        ("closed", "Closed"),
        ("published", "Published"),
    ], default="open", required=True, index=True, track_visibility="onchange")
    deadline = fields.Date(string="Entry deadline")
    days = fields.Integer(compute="_compute_days", store=True)
    previous_id = fields.Many2one(
        "prm.benchmark.period", string="Previous year's period",
        compute="_compute_previous_id", store=True,
        help="Growth KPIs compare with this period (same kind, one year earlier).")
    entry_count = fields.Integer(compute="_compute_completeness")
    submitted_count = fields.Integer(compute="_compute_completeness")
    missing_count = fields.Integer(compute="_compute_completeness")

    _sql_constraints = [
        ("range_unique", "unique(date_range_id)",
         "There is already a benchmark period for these dates."),
    ]

    @api.depends("date_start", "date_end")
    def _compute_days(self):
        for period in self:
            if period.date_start and period.date_end:
                delta = (fields.Date.from_string(period.date_end)
                         - fields.Date.from_string(period.date_start))
                period.days = delta.days + 1

    @api.depends("date_start", "kind")
    def _compute_previous_id(self):
        for period in self:
            if period.date_start:
                period.previous_id = period._previous_year_period()

    def _previous_year_period(self):
        """The period of the same kind starting one year earlier (or none)."""
        self.ensure_one()
        if not self.date_start:
            return self.browse()
        start = fields.Date.from_string(self.date_start)
        try:
            target = start.replace(year=start.year - 1)
        except ValueError:  # 29 February
            target = start.replace(year=start.year - 1, day=28)
        return self.search([
            ("kind", "=", self.kind),
            ("date_start", "=", fields.Date.to_string(target))], limit=1)

    def _compute_completeness(self):
        Entry = self.env["prm.benchmark.entry"]
        dealers = self.env["res.partner"].search_count(
            [("prm_is_dealer", "=", True), ("prm_state", "=", "active")])
        grouped = Entry.read_group([("period_id", "in", self.ids)],
                                   ["period_id", "state"], ["period_id", "state"],
                                   lazy=False) if self.ids else []
        counts = {(g["period_id"][0], g["state"]): g["__count"] for g in grouped}
        for period in self:
            total = sum(n for (pid, _state), n in counts.items() if pid == period.id)
            done = sum(counts.get((period.id, state), 0)
                       for state in SUBMITTED_STATES)
            period.entry_count = total
            period.submitted_count = done
            period.missing_count = max(dealers - done, 0)

    def action_close(self):
        self.write({"state": "closed"})
        return True

    def action_publish(self):
        """Publish; the final statistics reach dealers under the release rule.

        Where fewer than k firms changed since the release dealers last saw,
        that release stays (``lib.release_history``: the final numbers would
        reveal the late firms); head office gets a note with how many.
        """
        self.write({"state": "published"})
        engine = self.env["prm.benchmark.engine"]
        engine._refresh_statistics(self)
        for period in self:
            held, groups = engine._held_back_counts(period)
            if held:
                period.message_post(subtype="mail.mt_note", body=_(
                    "Published. %(held)s statistics in %(groups)s comparison "
                    "groups stay at an earlier release for dealers: fewer firms "
                    "than the group's minimum size changed since the release "
                    "they last saw, and the final numbers would reveal those "
                    "firms. Head office sees the final statistics.") % {
                        "held": held, "groups": groups})
        return True

    def action_reopen(self):
        self.write({"state": "open"})
        return True

    def action_refresh_statistics(self):
        self.env["prm.benchmark.engine"]._refresh_statistics(self)
        return True

    def action_export_network(self):
        self.ensure_one()
        return {"type": "ir.actions.act_url", "target": "self",
                "url": "/prm_benchmark/export/network/%d" % self.id}

    def action_view_entries(self):
        self.ensure_one()
        action = self.env.ref("prm_benchmark.action_benchmark_entry").read()[0]
        action["domain"] = [("period_id", "=", self.id)]
        action["context"] = {"default_period_id": self.id}
        return action

    def action_create_missing_entries(self):
        """Draft entries for every active dealer, so the list shows who is missing."""
        Entry = self.env["prm.benchmark.entry"]
        dealers = self.env["res.partner"].search(
            [("prm_is_dealer", "=", True), ("prm_state", "=", "active")])
        for period in self:
            existing = set(Entry.search([("period_id", "=", period.id)]).mapped(
                "partner_id").ids)
            for dealer in dealers.filtered(lambda d: d.id not in existing):
                Entry.create({"partner_id": dealer.id, "period_id": period.id})
        return True

    def action_send_reminders(self):
        """Mail the portal users of dealers who have not submitted yet."""
        template = self.env.ref("prm_benchmark.mail_template_entry_reminder")
        sent = 0
        for period in self.filtered(lambda p: p.state == "open"):
            submitted = self.env["prm.benchmark.entry"].search([
                ("period_id", "=", period.id),
                ("state", "in", ("submitted", "checked"))]).mapped("partner_id")
            dealers = self.env["res.partner"].search([
                ("prm_is_dealer", "=", True), ("prm_state", "=", "active"),
                ("id", "not in", submitted.ids)])
            users = self.env["res.users"].search([
                ("commercial_partner_id", "in", dealers.ids), ("share", "=", True)])
            for user in users:
                template.with_context(
                    lang=user.lang, period_name=period.name,
                    # the deadline in the recipient's date format
                    deadline=format_date(self.env, period.deadline,
                                         lang_code=user.lang)).send_mail(
                    user.id, force_send=False)
                sent += 1
        return sent

    @api.model
    def _cron_send_reminders(self):
        """Weekly reminder while a period with a deadline is open."""
        today = fields.Date.context_today(self)
        soon = fields.Date.to_string(
            fields.Date.from_string(today) + datetime.timedelta(days=14))
        periods = self.search([("state", "=", "open"), ("deadline", "!=", False),
                               ("deadline", "<=", soon)])
        return periods.action_send_reminders()

    def unlink(self):
        Entry = self.env["prm.benchmark.entry"]
        if Entry.search_count([("period_id", "in", self.ids)]):
            raise UserError(_("A period with entries cannot be deleted; close it."))
        links = self._previous_links()
        result = super().unlink()
        self._relink_previous_years(links)
        return result

    # --- staleness: growth KPIs compare with the previous year's period ----------
    @api.model
    def create(self, vals):
        links = self._previous_links()
        period = super().create(vals)
        self._relink_previous_years(links)
        return period

    def write(self, vals):
        watched = {"date_range_id", "kind"} & set(vals)
        links = self._previous_links() if watched else None
        result = super().write(vals)
        if watched:
            self._relink_previous_years(links)
        return result

    @api.model
    def _previous_links(self):
        """``{period_id: previous-year period id or None}`` of every period."""
        self.env.cr.execute("SELECT id, previous_id FROM prm_benchmark_period")
        return dict(self.env.cr.fetchall())

    @api.model
    def _relink_previous_years(self, links):
        """Point every period at its previous-year period again, and mark
        those whose previous year differs from ``links`` (taken before the
        change, ``_previous_links``).

        ``previous_id`` is stored and depends on the period's own dates, so a
        period of the year before that is added, removed or re-dated later
        would never become (or stop being) another period's previous year.
        Periods whose previous year changed are marked ``period_history``:
        the refresh recomputes their KPI values (growth) and statistics.
        """
        # sudo: a handful of periods, relinked for derived KPIs; nothing is
        # read out to the user.
        periods = self.sudo().search([])
        for period in periods:
            previous = period._previous_year_period()
            if previous != period.previous_id:
                period.write({"previous_id": previous.id})
        moved = periods.filtered(
            lambda p: p.id in links and links[p.id] != (p.previous_id.id or None))
        if moved:
            self.env["prm.benchmark.engine"]._mark_stale(
                "period_history", periods=moved)
