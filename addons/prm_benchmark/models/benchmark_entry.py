from odoo import api, fields, models, _
from odoo.exceptions import AccessError, UserError

# Counted entry states (as engine.COUNTED_STATES, which imports this module).
COUNTED = ("submitted", "checked")
# Context key: the caller (save, import) computes KPIs and marks statistics
# stale itself, once for the whole change; the per-record hooks stay quiet.
MARKS_BY_CALLER = "prm_benchmark_marks_by_caller"

ENTRY_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("checked", "Checked"),
    ("returned", "Sent back"),
]
#: Entry states that count as taking part in a period.
SUBMITTED_STATES = ("submitted", "checked")


class BenchmarkEntry(models.Model):
    """A dealer's figures for one period (one questionnaire)."""

    _name = "prm.benchmark.entry"
    _description = "Benchmark entry"
    _inherit = ["mail.thread"]
    _order = "period_start desc, partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Dealer", required=True, index=True,
        ondelete="cascade", domain=[("prm_is_dealer", "=", True)])
    period_id = fields.Many2one(
        "prm.benchmark.period", required=True, index=True, ondelete="restrict")
    period_start = fields.Date(related="period_id.date_start", store=True,
                               readonly=True)
    period_state = fields.Selection(related="period_id.state", readonly=True)
    territory_id = fields.Many2one(
        related="partner_id.prm_territory_id", store=True, readonly=True,
        index=True)
    state = fields.Selection(ENTRY_STATES, default="draft", required=True,
                             index=True, track_visibility="onchange")
    value_ids = fields.One2many("prm.benchmark.value", "entry_id",
                                string="Figures")
    kpi_value_ids = fields.One2many("prm.benchmark.kpi.value", "entry_id",
                                    string="KPIs", readonly=True)
    version = fields.Integer(
        default=1, readonly=True, copy=False,
        help="Raised on every save; a save based on an older version is refused.")
    submitted_by_id = fields.Many2one("res.users", readonly=True)
    submitted_on = fields.Datetime(readonly=True)
    last_saved_by_id = fields.Many2one("res.users", readonly=True)
    last_saved_on = fields.Datetime(readonly=True)
    last_saved_by_label = fields.Char(
        string="Last saved by (shown to the dealer)",
        compute="_compute_last_saved_by_label",
        help="The name of the dealer's user who saved last, or \"Head office\" "
             "for an internal user (portal users may not read those).")
    review_comment = fields.Text(track_visibility="onchange")
    missing_count = fields.Integer(
        string="Missing required figures", compute="_compute_missing_count")

    _sql_constraints = [
        ("entry_unique", "unique(partner_id, period_id)",
         "There is already an entry for this dealer and period."),
    ]

    @api.depends("last_saved_by_id")
    def _compute_last_saved_by_label(self):
        for entry in self:
            entry.last_saved_by_label = self._prm_user_label(entry.last_saved_by_id)

    @api.model
    def _prm_user_label(self, user):
        """A display of ``user`` that every reader of an entry may see.

        "Head office" for internal users (their names and records are not
        for dealers), the user's name for the dealer's own portal users,
        "" for no user.
        """
        # sudo: portal users cannot read res.users; only the name (of a user
        # of the reader's own company) or the share flag leaves this method
        user = user.sudo()
        if not user:
            return ""
        return user.name if user.share else _("Head office")

    def name_get(self):
        return [(entry.id, "%s – %s" % (
            entry.period_id.name or "", entry.partner_id.name or ""))
            for entry in self]

    def _compute_missing_count(self):
        required = self.env["prm.benchmark.input"].search(
            [("required_for_submit", "=", True)])
        filled = {}
        if self.ids:
            for group in self.env["prm.benchmark.value"].read_group(
                    [("entry_id", "in", self.ids), ("input_id", "in", required.ids)],
                    ["entry_id"], ["entry_id"]):
                filled[group["entry_id"][0]] = group["entry_id_count"]
        for entry in self:
            entry.missing_count = len(required) - filled.get(entry.id, 0)

    def _values_by_code(self):
        """``{input code: float}`` of this entry's figures (empty ones absent).

        One plain query instead of the ORM (it was a fifth of the entry
        page's time at 5,000 dealers); the caller must be allowed to read
        the entry, which is checked here as the ORM would.
        """
        self.ensure_one()
        self.check_access_rights("read")
        self.check_access_rule("read")
        return self._figures_of(self.ids).get(self.id, {})

    @api.model
    def _figures_of(self, entry_ids):
        """``{entry id: {input code: float}}`` in one query, without access
        checks (callers check, or work as sudo on derived data)."""
        if not entry_ids:
            return {}
        self.env.cr.execute("""
            SELECT v.entry_id, i.code, v.value FROM prm_benchmark_value v
              JOIN prm_benchmark_input i ON i.id = v.input_id
             WHERE v.entry_id IN %s
        """, [tuple(entry_ids)])
        figures = {}
        for entry_id, code, value in self.env.cr.fetchall():
            figures.setdefault(entry_id, {})[code] = value
        return figures

    def _missing_required(self):
        self.ensure_one()
        filled = set(self.value_ids.mapped("input_id").ids)
        return self.env["prm.benchmark.input"].search(
            [("required_for_submit", "=", True), ("id", "not in", list(filled))])

    # --- staleness of the statistics (lib.staleness) ----------------------------
    def write(self, vals):
        counted = {e.id: e.state in COUNTED for e in self} if "state" in vals else {}
        result = super().write(vals)
        if counted and not self.env.context.get(MARKS_BY_CALLER):
            moved = self.filtered(lambda e: counted[e.id] != (e.state in COUNTED))
            if moved:
                self.env["prm.benchmark.engine"]._entries_changed(moved, "entry_state")
        return result

    def unlink(self):
        counted = self.filtered(lambda e: e.state in COUNTED)
        engine = self.env["prm.benchmark.engine"]
        periods = counted.mapped("period_id")
        partners = counted.mapped("partner_id")
        groups = engine._dealer_group_ids(partners)
        result = super().unlink()
        if counted:
            # a deleted quarter leaves the trailing revenue (revenue bands)
            self.env["prm.benchmark.group"]._refresh_members_of(
                partners, revenue_band_only=True)
            engine._mark_stale("entry_deleted", periods=periods,
                               partners=partners, dealer_group_ids=groups,
                               moved_group_ids=groups ^ engine._dealer_group_ids(
                                   partners))
        return result

    # --- head office workflow ----------------------------------------------------
    def action_mark_checked(self):
        for entry in self:
            if entry.state != "submitted":
                raise UserError(_("Only submitted entries can be marked checked."))
        self.write({"state": "checked"})
        return True

    def action_send_back(self):
        for entry in self:
            if entry.state not in ("submitted", "checked"):
                raise UserError(_("Only submitted entries can be sent back."))
            if not entry.review_comment:
                raise UserError(_("Please write in the review comment what the "
                                  "dealer should correct."))
        self.write({"state": "returned"})
        for entry in self:
            entry.message_post(body=_("Sent back for correction: %s")
                               % entry.review_comment)
        return True

    def _figures_changed(self):
        if self.env.context.get(MARKS_BY_CALLER) or not self:
            return
        engine = self.env["prm.benchmark.engine"]
        # next year's growth KPIs compare with these figures
        changed_kpis = engine._compute_kpis(self | engine._next_year_entries(self))
        counted = self.filtered(lambda e: e.state in COUNTED)
        if counted:
            engine._entries_changed(counted, "entry_values", changed_kpis)

    def action_recompute(self):
        # the engine writes KPI values and statistics as superuser: readers
        # of an entry (territory managers, the dealer) must not trigger it
        if not self.env.user._prm_is_head_office():
            raise AccessError(_("Only head office may recompute KPIs."))
        engine = self.env["prm.benchmark.engine"]
        engine._compute_kpis(self | engine._next_year_entries(self))
        engine._entries_changed(self, "entry_values")
        return True
