from odoo import fields, models


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
            -- the pairs of the groups a dealer sees (the analysis page)
            CREATE INDEX IF NOT EXISTS prm_benchmark_conflict_pair_index
                ON prm_benchmark_conflict (group_a_id, group_b_id);
            -- "contributors": contributor sets of a statistic (safe groups);
            -- "top": top groups of the top-quartile mean (analysis)
            ALTER TABLE prm_benchmark_conflict
                ADD COLUMN IF NOT EXISTS kind varchar NOT NULL
                    DEFAULT 'contributors';
        """)
        # Staleness (lib.staleness): one row per change and (period, group
        # or NULL = all groups, KPI or NULL = all KPIs), written in the
        # change's transaction and
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
            -- the KPI whose statistics are stale, NULL = every KPI
            ALTER TABLE prm_benchmark_stale ADD COLUMN IF NOT EXISTS kpi_id
                integer REFERENCES prm_benchmark_kpi ON DELETE CASCADE;
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
