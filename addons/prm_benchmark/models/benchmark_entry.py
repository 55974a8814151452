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
        self.ensure_one()
        return {value.input_id.code: value.value for value in self.value_ids}

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
        groups = engine._dealer_group_ids(counted.mapped("partner_id"))
        result = super().unlink()
        if counted:
            engine._mark_stale("entry_deleted", periods=periods,
                               dealer_group_ids=groups)
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
        engine._compute_kpis(self)
        counted = self.filtered(lambda e: e.state in COUNTED)
        if counted:
            engine._entries_changed(counted, "entry_values")

    def action_recompute(self):
        # the engine writes KPI values and statistics as superuser: readers
        # of an entry (territory managers, the dealer) must not trigger it
        if not self.env.user._prm_is_head_office():
            raise AccessError(_("Only head office may recompute KPIs."))
        engine = self.env["prm.benchmark.engine"]
        engine._compute_kpis(self)
        engine._entries_changed(self, "entry_values")
        return True


class BenchmarkValue(models.Model):
    """One entered figure."""

    _name = "prm.benchmark.value"
    _description = "Benchmark figure"
    _order = "entry_id, input_sequence"

    entry_id = fields.Many2one("prm.benchmark.entry", required=True, index=True,
                               ondelete="cascade")
    input_id = fields.Many2one("prm.benchmark.input", required=True, index=True,
                               ondelete="restrict")
    input_sequence = fields.Integer(related="input_id.sequence", store=True,
                                    readonly=True)
    partner_id = fields.Many2one(related="entry_id.partner_id", store=True,
                                 readonly=True, index=True)
    period_id = fields.Many2one(related="entry_id.period_id", store=True,
                                readonly=True, index=True)
    value = fields.Float(required=True)

    _sql_constraints = [
        ("value_unique", "unique(entry_id, input_id)",
         "A figure is entered once per entry."),
    ]

    # A figure changed outside the save and the import (head office's
    # correction in the backend, also in a closed or published period):
    # the dealer's KPIs at once, the statistics marked stale.
    @api.model
    def create(self, vals):
        record = super().create(vals)
        record.entry_id._figures_changed()
        return record

    def write(self, vals):
        result = super().write(vals)
        self.mapped("entry_id")._figures_changed()
        return result

    def unlink(self):
        entries = self.mapped("entry_id")
        result = super().unlink()
        entries.exists()._figures_changed()
        return result


class BenchmarkKpiValue(models.Model):
    """A KPI of one entry, computed and stored on save."""

    _name = "prm.benchmark.kpi.value"
    _description = "Benchmark KPI value"
    _order = "period_start desc, partner_id, kpi_sequence"

    entry_id = fields.Many2one("prm.benchmark.entry", required=True, index=True,
                               ondelete="cascade")
    kpi_id = fields.Many2one("prm.benchmark.kpi", required=True, index=True,
                             ondelete="cascade")
    kpi_sequence = fields.Integer(related="kpi_id.sequence", store=True,
                                  readonly=True)
    # cascade: a deleted dealer takes its KPI values along (with its entries)
    partner_id = fields.Many2one("res.partner", required=True, index=True,
                                 readonly=True, ondelete="cascade")
    period_id = fields.Many2one("prm.benchmark.period", required=True, index=True,
                                readonly=True)
    period_start = fields.Date(related="period_id.date_start", store=True,
                               readonly=True)
    territory_id = fields.Many2one(related="partner_id.prm_territory_id",
                                   store=True, readonly=True)
    entry_state = fields.Selection(related="entry_id.state", store=True,
                                   readonly=True)
    value = fields.Float(group_operator="avg")

    _sql_constraints = [
        ("kpi_value_unique", "unique(entry_id, kpi_id)",
         "A KPI is stored once per entry."),
    ]


class BenchmarkStat(models.Model):
    """Group statistics of one KPI in one period (refreshed on save).

    Raw, unfiltered figures: only head office reads this model directly;
    portal users get them through the anonymity filter of the engine.
    """

    _name = "prm.benchmark.stat"
    _description = "Benchmark group statistic"
    _order = "period_id desc, group_id, kpi_id"
    _log_access = False

    period_id = fields.Many2one("prm.benchmark.period", required=True, index=True,
                                ondelete="cascade")
    group_id = fields.Many2one("prm.benchmark.group", required=True, index=True,
                               ondelete="cascade")
    kpi_id = fields.Many2one("prm.benchmark.kpi", required=True, index=True,
                             ondelete="cascade")
    count = fields.Integer(group_operator=False)
    mean = fields.Float(group_operator=False)
    median = fields.Float(group_operator=False)
    q1 = fields.Float(string="Lower quartile", group_operator=False)
    q3 = fields.Float(string="Upper quartile", group_operator=False)
    top_quartile_mean = fields.Float(group_operator=False)
    min_value = fields.Float(string="Minimum", group_operator=False)
    max_value = fields.Float(string="Maximum", group_operator=False)
    top_group_size = fields.Integer(group_operator=False)
    has_dominant = fields.Boolean()

    _sql_constraints = [
        ("stat_unique", "unique(period_id, group_id, kpi_id)",
         "One statistic per period, group and KPI."),
    ]

    def init(self):
        # Head-office data outside the ORM (no field, no model, so no route
        # can reach it): the group's sorted values for ranks and histograms,
        # and the pairs of groups whose contributors differ by few dealers
        # (anonymity.contribution_differences), both refreshed with the
        # statistics.
        self.env.cr.execute("""
            SELECT 1 FROM information_schema.columns
             WHERE table_name = 'prm_benchmark_stat'
               AND column_name = 'sorted_values'
        """)
        upgrade = not self.env.cr.fetchone()
        self.env.cr.execute("""
            SELECT 1 FROM information_schema.columns
             WHERE table_name = 'prm_benchmark_stat'
               AND column_name = 'contributor_values'
        """)
        upgrade = upgrade or not self.env.cr.fetchone()
        # The dealers counted and their values (same order), for the release
        # rule against time differencing (lib.release_history), and the
        # released statistics: what dealers see (page, JSON, export, ranks,
        # histograms), with the contributions of the last release that was
        # shown, when it was released, and whether fresher statistics are
        # held back. Head-office data without a model, like the above.
        self.env.cr.execute("""
            ALTER TABLE prm_benchmark_stat
                ADD COLUMN IF NOT EXISTS sorted_values float8[],
                ADD COLUMN IF NOT EXISTS contributors integer[],
                ADD COLUMN IF NOT EXISTS contributor_values float8[];
            CREATE TABLE IF NOT EXISTS prm_benchmark_stat_release (
                id bigserial PRIMARY KEY,
                period_id integer NOT NULL
                    REFERENCES prm_benchmark_period ON DELETE CASCADE,
                group_id integer NOT NULL
                    REFERENCES prm_benchmark_group ON DELETE CASCADE,
                kpi_id integer NOT NULL
                    REFERENCES prm_benchmark_kpi ON DELETE CASCADE,
                count integer NOT NULL,
                mean float8, median float8, q1 float8, q3 float8,
                top_quartile_mean float8, min_value float8, max_value float8,
                top_group_size integer, has_dominant boolean,
                sorted_values float8[],
                contributors integer[] NOT NULL,
                contributor_values float8[] NOT NULL,
                visible_contributors integer[],
                visible_values float8[],
                released_at timestamp NOT NULL,
                pending boolean NOT NULL DEFAULT false,
                UNIQUE (period_id, group_id, kpi_id)
            );
            CREATE TABLE IF NOT EXISTS prm_benchmark_conflict (
                period_id integer NOT NULL
                    REFERENCES prm_benchmark_period ON DELETE CASCADE,
                kpi_id integer NOT NULL
                    REFERENCES prm_benchmark_kpi ON DELETE CASCADE,
                group_a_id integer NOT NULL
                    REFERENCES prm_benchmark_group ON DELETE CASCADE,
                group_b_id integer NOT NULL
                    REFERENCES prm_benchmark_group ON DELETE CASCADE,
                difference integer NOT NULL,
                smaller integer NOT NULL
            );
            CREATE INDEX IF NOT EXISTS prm_benchmark_conflict_period_index
                ON prm_benchmark_conflict (period_id);
        """)
        # Staleness (lib.staleness): one row per change and (period, group
        # or NULL = all groups), written in the change's transaction and
        # deleted by the refresh that read it; and the time each period's
        # statistics are as of.
        self.env.cr.execute("""
            CREATE TABLE IF NOT EXISTS prm_benchmark_stale (
                id bigserial PRIMARY KEY,
                period_id integer NOT NULL
                    REFERENCES prm_benchmark_period ON DELETE CASCADE,
                group_id integer
                    REFERENCES prm_benchmark_group ON DELETE CASCADE,
                reason varchar NOT NULL,
                recompute_kpis boolean NOT NULL DEFAULT false,
                marked_at timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
            );
            CREATE INDEX IF NOT EXISTS prm_benchmark_stale_period_index
                ON prm_benchmark_stale (period_id, group_id);
            CREATE TABLE IF NOT EXISTS prm_benchmark_stat_as_of (
                period_id integer PRIMARY KEY
                    REFERENCES prm_benchmark_period ON DELETE CASCADE,
                as_of timestamp NOT NULL
            );
        """)
        if upgrade:  # statistics stored before: give them their values
            self.env.cr.execute("SELECT DISTINCT period_id FROM prm_benchmark_stat")
            periods = self.env["prm.benchmark.period"].browse(
                [row[0] for row in self.env.cr.fetchall()])
            self.env["prm.benchmark.engine"]._refresh_statistics(periods)
