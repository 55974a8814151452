"""The analysis view's per-worker caches never show stale figures (issue 23).

The KPI catalogue is kept per language under a digest of its rows and
translations, a viewer's released values under the statistics stamps, the
sorted group values are read in binary form and the targets by one query:
each test changes what a cache holds and checks that the next view shows it.
"""
import pytest

from odoo.tools import mute_logger

from ..lib import pg_arrays
from ..models.benchmark_analysis import RELEASE_CACHE
from ..models.benchmark_engine import GROUP_DATA_CACHE
from ..models.benchmark_engine_disclosure import OWN_VALUES_CACHE
from .common import BenchmarkCase


class TestAnalysisCaches(BenchmarkCase):

    def view(self, lang=None, dealer=None):
        env = self.env(context=dict(self.env.context, lang=lang)) if lang \
            else self.env
        return env["prm.benchmark.analysis"]._analysis_data(
            dealer or self.dealers[0], self.q1, self.group)

    @staticmethod
    def row(view, code):
        return next(row for row in view["kpis"] if row["code"] == code)

    def test_a_kpi_name_and_its_translation_show_at_once(self):
        if not self.env["res.lang"]._lang_get("de_DE"):
            self.env["res.lang"].load_lang("de_DE")
        kpi = self.kpi["dso"]
        self.view(), self.view("de_DE")   # fill the caches of both languages
        kpi.name = "T days sales outstanding"
        assert self.row(self.view(), "dso")["name"] == \
            "T days sales outstanding"
        kpi.with_context(lang="de_DE").name = "T Forderungsreichweite"
        assert self.row(self.view("de_DE"), "dso")["name"] == \
            "T Forderungsreichweite"
        # Edited in Settings > Translations: no KPI row changes.
        self.env["ir.translation"].search([
            ("name", "=", "prm.benchmark.kpi,name"), ("res_id", "=", kpi.id),
            ("lang", "=", "de_DE")]).value = "T Reichweite der Forderungen"
        self.env.clear()   # as a new request: no ORM cache
        assert self.row(self.view("de_DE"), "dso")["name"] == \
            "T Reichweite der Forderungen"
        assert self.row(self.view(), "dso")["name"] == \
            "T days sales outstanding"

    def test_a_new_currency_symbol_shows_at_once(self):
        before = self.view()
        currency = self.env.user.company_id.currency_id
        assert before["charts"]
        currency.symbol = "T$"
        row = next(row for row in self.view()["kpis"]
                   if row["unit"] == "currency")
        assert row["unit_label"] == "T$"

    def test_targets_are_the_dealers_own_in_the_orms_order(self):
        metric = self.env["prm.target.metric"].create({
            "name": "T units", "code": "t-units", "unit": "count",
            "aggregation": "sum", "source": "manual"})
        second = self.env["prm.target.metric"].create({
            "name": "T second", "code": "t-second", "unit": "count",
            "aggregation": "sum", "source": "manual", "sequence": 1})
        Target = self.env["prm.target"]
        for dealer, target, actual in ((self.dealers[0], 40.0, 30.0),
                                       (self.dealers[1], 99.0, 1.0)):
            Target.create({"partner_id": dealer.id,
                           "date_range_id": self.q1.date_range_id.id,
                           "metric_id": metric.id, "target_value": target,
                           "actual_value": actual})
        Target.create({"partner_id": self.dealers[0].id,
                       "date_range_id": self.q1.date_range_id.id,
                       "metric_id": second.id, "target_value": 0.0})
        targets = self.view()["targets"]
        assert [(t["metric"], t["metric_code"], t["target"], t["actual"])
                for t in targets] == [("T second", "t-second", 0.0, 0.0),
                                      ("T units", "t-units", 40.0, 30.0)]
        assert targets[1]["period"] == self.q1.name
        assert targets[1]["attainment"] == pytest.approx(75.0)

    def test_the_viewers_released_value_follows_a_release(self):
        """The viewer's released value is cached under the statistics
        stamps: after a release with new values the view ranks the new
        one (a cache keyed without the stamps kept the old value)."""
        def fill(revenue_of):
            for index, dealer in enumerate(self.dealers):
                self.save(dealer, self.full_values(revenue_new=revenue_of(index)))
            self.refresh()

        fill(lambda index: 100000.0 * (index + 1))
        before = self.row(self.view(), "rev_total")
        fill(lambda index: 100000.0 * (len(self.dealers) - index) + 50000.0)
        after = self.row(self.view(), "rev_total")
        assert (before["rank"], after["rank"]) == (len(self.dealers), 1)


class TestFloat8Array(BenchmarkCase):
    """``lib.pg_arrays`` reads what PostgreSQL's own ``array_send`` gives."""

    def send(self, literal):
        self.env.cr.execute("SELECT array_send(%s::float8[])" % literal)
        return self.env.cr.fetchone()[0]

    def test_values_round_trip(self):
        values = [-1.5, 0.0, 2.25, 1e300, -1e-300, 123456789.125]
        self.env.cr.execute("SELECT array_send(%s::float8[])", [values])
        assert list(pg_arrays.float8_array(self.env.cr.fetchone()[0])) == values

    def test_empty_and_none(self):
        assert list(pg_arrays.float8_array(self.send("'{}'"))) == []
        assert pg_arrays.float8_array(None) is None

    @mute_logger("odoo.sql_db")
    def test_nulls_and_other_types_are_refused(self):
        for literal in ("'{1,NULL}'", "'{{1,2},{3,4}}'"):
            with pytest.raises(ValueError):
                pg_arrays.float8_array(self.send(literal))
        self.env.cr.execute("SELECT array_send('{1,2}'::int4[])")
        with pytest.raises(ValueError):
            pg_arrays.float8_array(self.env.cr.fetchone()[0])


def test_the_group_data_cache_is_bounded_by_values_too():
    """At 50,000 dealers 256 entries of sorted values would pass the
    workers' memory limit: the least recently used entries go first."""
    from array import array

    from ..models.benchmark_engine import WeightedLRU, values_weight

    cache = WeightedLRU(4, 1000, values_weight)
    cache["a"] = {1: array("d", [0.0] * 400)}
    cache["b"] = {1: array("d", [0.0] * 400)}
    cache["small"] = frozenset({1, 2})
    assert cache.get("a") is not None   # "a" used: "b" is now the oldest
    cache["c"] = {1: array("d", [0.0] * 400), 2: array("d", [0.0] * 100)}
    assert "b" not in cache and "a" in cache and "c" in cache
    assert cache.total == 400 + 1 + 500
    cache["d"] = frozenset()
    cache["e"] = frozenset()
    assert len(cache) == 4 and "small" not in cache   # the count bounds too
    cache["huge"] = {1: array("d", [0.0] * 5000)}
    assert list(cache.keys()) == ["huge"] and cache.total == 5000
    cache.clear()
    assert cache.total == 0 and not len(cache)


class TestWarmCaches(BenchmarkCase):
    """The prefork master's warm-up (``_warm_caches``, issue 23) fills what
    the default view reads, and a view from the warm caches is the view
    computed cold."""

    def test_the_default_view_reads_no_group_values_after_the_warm_up(self):
        Analysis = self.env["prm.benchmark.analysis"]
        self.refresh()
        for cache in (GROUP_DATA_CACHE, RELEASE_CACHE, OWN_VALUES_CACHE):
            cache.clear()
        groups, values = Analysis._warm_caches()
        assert groups >= 1 and values == GROUP_DATA_CACHE.total > 0
        period = Analysis._default_period(self.env["prm.benchmark.period"].search(
            [], order="date_start desc", limit=16))
        self.env.cr.execute("""
            SELECT r.group_id, MIN(m.partner_id)
              FROM prm_benchmark_stat_release r
              JOIN prm_benchmark_group_member m ON m.group_id = r.group_id
             WHERE r.period_id = %s AND r.sorted_values IS NOT NULL
          GROUP BY r.group_id
          ORDER BY MAX(cardinality(r.sorted_values)) DESC, r.group_id LIMIT 1
        """, [period.id])
        group_id, partner_id = self.env.cr.fetchone()
        group = self.env["prm.benchmark.group"].browse(group_id)
        member = self.env["res.partner"].browse(partner_id)
        warmed = set(GROUP_DATA_CACHE.d)
        bases = {key for key in RELEASE_CACHE.d if key[0] == "group release"
                 and key[2] == group_id}
        trend = Analysis._trend_periods(period)
        assert set(trend.ids) <= {key[1] for key in bases}
        warm_view = Analysis._analysis_data(member, period, group)
        # and a switch to the period before (its trend reaches further back)
        if len(trend) > 1:
            Analysis._analysis_data(member, trend[-2], group)
        assert {key for key in GROUP_DATA_CACHE.d if key[0] == "values"} \
            <= warmed, "the view read group values the warm-up had not read"
        for cache in (GROUP_DATA_CACHE, RELEASE_CACHE, OWN_VALUES_CACHE):
            cache.clear()
        assert Analysis._analysis_data(member, period, group) == warm_view

    def test_no_warm_up_outside_the_prefork_master(self):
        from ..models.benchmark_analysis import _prefork_master
        assert not _prefork_master()   # a test run, not the master

    def test_the_warm_up_stops_before_it_evicts_its_own_entries(self):
        """Outside review 14 (F1): with more groups than half the cache's
        entries hold, the warm-up evicted its own largest groups."""
        Analysis = self.env["prm.benchmark.analysis"]
        self.refresh()
        for cache in (GROUP_DATA_CACHE, RELEASE_CACHE):
            cache.clear()
        period = Analysis._default_period(Analysis._analysis_periods())
        trend = self.env["prm.benchmark.period"].search(
            [("kind", "=", period.kind), ("date_start", "<=", period.date_start)],
            limit=15)
        count = GROUP_DATA_CACHE.count
        GROUP_DATA_CACHE.count = 2 * len(trend) + 1   # room for one group
        try:
            groups, _values = Analysis._warm_caches()
            kept = {key[2] for key in GROUP_DATA_CACHE.d if key[0] == "values"}
        finally:
            GROUP_DATA_CACHE.count = count
            GROUP_DATA_CACHE.clear()
        assert groups == 1 and len(kept) == 1

    def test_periods_set_up_in_advance_leave_the_published_one_the_default(self):
        """Outside review 14 (F2): 16 future quarters pushed every published
        period out of the 16 the analysis offers (404, empty default)."""
        Analysis = self.env["prm.benchmark.analysis"]
        before = Analysis._default_period(Analysis._analysis_periods())
        assert before.state == "published"
        range_type = self.env["date.range.type"].create(
            {"name": "T future quarters", "allow_overlap": False})
        for index in range(16):
            year, quarter = 2090 + index // 4, index % 4
            start = "%d-%02d-01" % (year, 3 * quarter + 1)
            last_day = 31 if quarter in (0, 3) else 30
            end = "%d-%02d-%02d" % (year, 3 * quarter + 3, last_day)
            self.env["prm.benchmark.period"].create({
                "date_range_id": self.env["date.range"].create({
                    "name": "T future %d" % index, "type_id": range_type.id,
                    "date_start": start, "date_end": end}).id,
                "kind": "quarter"})
        offered = Analysis._analysis_periods()
        assert before in offered
        assert Analysis._default_period(offered) == before

    def test_the_stamp_changes_with_the_database_and_the_server_start(self):
        """Outside review 14 (F5): after a restore or a failover that lost
        commits, ids repeat; the stamp names the database and the server's
        start, so no cache entry of before is used."""
        stamp = self.env["prm.benchmark.engine"]._statistics_stamp(self.q1)
        self.env.cr.execute("""
            SELECT oid, pg_postmaster_start_time()::text FROM pg_database
             WHERE datname = current_database()""")
        database, started = self.env.cr.fetchone()
        assert database in stamp and started in stamp
