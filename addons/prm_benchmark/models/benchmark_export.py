import os
import tempfile

from odoo import _, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools.misc import format_date

from ..lib import units, xlsx_export
from .benchmark_engine import COUNTED_STATES


def freshness_text(freshness):
    """"<as of>" or "<as of> (being updated)" for ``engine._freshness``."""
    if not freshness:
        return ""
    text = freshness.get("as_of") or "–"
    if freshness.get("stale"):
        text = "%s (%s)" % (text, _("being updated"))
    return text


def trend_kpis(data):
    """The KPI rows of the view ``data`` the page charts as trends (kinds
    ``trend`` and ``trend_multi`` of ``data["charts"]``), in the page's order:
    the workbook's trend sheet shows the same KPIs as the page."""
    rows = {row["code"]: row for row in data["kpis"]}
    codes = []
    for chart in data.get("charts") or ():
        if chart["kind"] in ("trend", "trend_multi"):
            codes += [code for code in chart["kpis"]
                      if code in rows and code not in codes]
    return [rows[code] for code in codes]


def _unit(unit):
    return unit if unit in units.UNITS else units.DEFAULT_UNIT


class BenchmarkExport(models.AbstractModel):
    """XLSX exports built with xlsxwriter (``lib.xlsx_export``).

    Not through OCA report_xlsx: that report type builds the whole workbook
    in memory, while the network export must stream thousands of rows with
    xlsxwriter's constant-memory mode into a temporary file.
    """

    _name = "prm.benchmark.export"
    _description = "Benchmark XLSX exports"

    @api.model
    def _partner_view_xlsx(self, data):
        """The dealer's analysis view as bytes.

        ``data`` is the view model (``lib.analysis_view.build_view``): only
        the numbers released to this dealer are in it, and only those are
        written.
        """
        sections = []
        for section in data["sections"]:
            kpis = [k for k in data["kpis"] if k["section"] == section["key"]]
            if not kpis:
                continue
            sections.append({"name": section["label"], "kpis": [{
                "code": k["code"], "name": k["name"], "unit": _unit(k["unit"]),
                "higher_is_better": k["higher_is_better"],
                "own": k["own"], "prev": k["prev"], "change": k["change"],
                "median": k["stats"]["median"], "q1": k["stats"]["q1"],
                "q3": k["stats"]["q3"],
                "top_quartile_mean": k["stats"]["top_quartile_mean"],
                "count": k["stats"]["count"], "rank": k["rank"],
                "percentile": k["percentile"],
                "withheld": bool(k["stats"]["withheld"]),
            } for k in kpis]})
        view = {
            "title": _("Benchmark %s") % data["period"]["name"],
            "dealer": data["dealer"], "period": data["period"]["name"],
            "group": data["group"]["name"],
            "generated": self._today_text(),
            "statistics_as_of": freshness_text(data.get("freshness")),
            "sections": sections,
            "trend": {
                "periods": [p["name"] for p in data["periods"]],
                "series": {k["code"]: {"own": k["trend"]["own"],
                                       "median": k["trend"]["median"]}
                           for k in trend_kpis(data)},
            },
        }
        with tempfile.TemporaryFile() as handle:
            xlsx_export.write_partner_view(view, handle, translate=_)
            handle.seek(0)
            return handle.read()

    @api.model
    def _network_xlsx_file(self, period):
        """Head-office export of a whole period into a temp file; returns its path.

        Rows are fetched with server-side cursors in chunks and streamed, so
        memory stays flat however many dealers the network has. The caller
        deletes the file.
        """
        if not self.env.user._prm_is_head_office():
            raise AccessError(_("Only head office may export the whole network."))
        env = self.env
        inputs = env["prm.benchmark.input"].search([])
        kpis = env["prm.benchmark.kpi"].search([])
        meta = {"title": _("Benchmark network export %s") % period.name,
                "period": period.name,
                "generated": self._today_text(),
                "statistics_as_of": freshness_text(env[
                    "prm.benchmark.engine"]._freshness(
                        period, env["prm.benchmark.group"]))}
        fd, path = tempfile.mkstemp(suffix=".xlsx", prefix="prm-network-")
        os.close(fd)
        try:
            with open(path, "wb") as output:
                xlsx_export.write_network_export(
                    meta,
                    [{"code": i.code, "name": i.name, "unit": _unit(i.unit)}
                     for i in inputs],
                    [{"code": k.code, "name": k.name, "unit": _unit(k.unit)}
                     for k in kpis],
                    self._dealer_rows(period, inputs, kpis),
                    self._group_rows(period, kpis),
                    self._completeness_rows(period),
                    output, translate=_, tmpdir=tempfile.gettempdir())
        except Exception:
            os.unlink(path)
            raise
        return path

    def _named_cursor_rows(self, query, params, chunk=2000):
        cr = self.env.registry.cursor()
        try:
            # A named (server-side) cursor streams the rows in chunks.
            named = cr._cnx.cursor("prm_export_%s" % id(query))
            named.itersize = chunk
            named.execute(query, params)
            for row in named:
                yield row
            named.close()
        finally:
            cr.close()

    def _dealer_rows(self, period, inputs, kpis):
        input_codes = {i.id: i.code for i in inputs}
        kpi_codes = {k.id: k.code for k in kpis}
        query = """
            SELECT p.id, p.ref, p.name, t.complete_name, tier.name, p.prm_size_class,
                   e.state,
                   (SELECT json_object_agg(v.input_id, v.value)
                      FROM prm_benchmark_value v WHERE v.entry_id = e.id),
                   (SELECT json_object_agg(kv.kpi_id, kv.value)
                      FROM prm_benchmark_kpi_value kv WHERE kv.entry_id = e.id)
              FROM res_partner p
              LEFT JOIN prm_territory t ON t.id = p.prm_territory_id
              LEFT JOIN prm_tier tier ON tier.id = p.prm_tier_id
              LEFT JOIN prm_benchmark_entry e
                ON e.partner_id = p.id AND e.period_id = %s
             WHERE p.prm_is_dealer AND p.active
          ORDER BY p.name, p.id
        """
        states = dict(self.env["prm.benchmark.entry"].fields_get(
            ["state"])["state"]["selection"])
        missing = _("missing")
        for (_pid, ref, name, territory, tier, size, state, values,
             kpi_values) in self._named_cursor_rows(query, [period.id]):
            yield {
                "ref": ref or "", "name": name, "territory": territory or "",
                "tier": tier or "", "size_class": size or "",
                "state": states.get(state, missing),
                "inputs": {input_codes[int(k)]: v for k, v in (values or {}).items()
                           if int(k) in input_codes},
                "kpis": {kpi_codes[int(k)]: v for k, v in (kpi_values or {}).items()
                         if int(k) in kpi_codes},
            }

    def _group_rows(self, period, kpis):
        engine = self.env["prm.benchmark.engine"]
        for group in self.env["prm.benchmark.group"].search([]):
            # Head office sees the current statistics, not the released ones.
            published = engine._published_statistics(period, group, kpis,
                                                     live=True)
            for kpi in kpis:
                stats = published[kpi.id]
                yield {"group": group.name, "kpi": kpi.name,
                       "count": stats.get("count"), "median": stats.get("median"),
                       "q1": stats.get("q1"), "q3": stats.get("q3"),
                       "top_quartile_mean": stats.get("top_quartile_mean"),
                       "mean": stats.get("mean"),
                       "withheld": bool(stats.get("withheld"))}

    @api.model
    def _today_text(self):
        """Today in the user's time zone, formatted in the user's language."""
        return format_date(self.env, fields.Date.context_today(self))

    @api.model
    def _user_date(self, value):
        """The calendar date (``datetime.date``) of a stored UTC datetime in
        the user's time zone; None for no value. A submission at 00:30 in
        Berlin belongs to that day, not to the previous day in UTC."""
        if not value:
            return None
        if isinstance(value, str):
            value = fields.Datetime.from_string(value)
        return fields.Datetime.context_timestamp(self, value).date()

    def _completeness_rows(self, period):
        required = self.env["prm.benchmark.input"].search_count(
            [("required_for_submit", "=", True)])
        query = """
            SELECT p.ref, p.name, t.complete_name, e.state, e.submitted_on,
                   (SELECT COUNT(*) FROM prm_benchmark_value v
                      JOIN prm_benchmark_input i ON i.id = v.input_id
                     WHERE v.entry_id = e.id AND i.required_for_submit)
              FROM res_partner p
              LEFT JOIN prm_territory t ON t.id = p.prm_territory_id
              LEFT JOIN prm_benchmark_entry e
                ON e.partner_id = p.id AND e.period_id = %s
             WHERE p.prm_is_dealer AND p.active AND p.prm_state = 'active'
          ORDER BY (e.state IN %s) NULLS FIRST, p.name
        """
        states = dict(self.env["prm.benchmark.entry"].fields_get(
            ["state"])["state"]["selection"])
        for ref, name, territory, state, submitted, filled in self._named_cursor_rows(
                query, [period.id, COUNTED_STATES]):
            yield {"ref": ref or "", "name": name, "territory": territory or "",
                   "state": states.get(state, _("missing")),
                   "submitted_on": self._user_date(submitted) or "",
                   "missing_inputs": required - (filled or 0)}
