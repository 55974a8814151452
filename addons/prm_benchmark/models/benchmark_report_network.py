from collections import OrderedDict

from odoo import _, api, models
from odoo.exceptions import AccessError

from ..glue import number_format_of
from ..lib import report_charts
from ..lib.analysis_view import format_cell
from .benchmark_engine import COUNTED_STATES
from .benchmark_kpi import KPI_SECTIONS
from .benchmark_report import _data_uri

STAT_CELLS = ("q1", "median", "q3", "top_quartile_mean")


class NetworkReport(models.AbstractModel):
    """The network report (QWeb, printed as PDF) of one period for head
    office and territory managers.

    The same data origins as the network XLSX export: anonymity-filtered
    group statistics (``engine._published_statistics``; head office the
    current ones like the export, a territory manager the ones released to
    dealers), the dealers' KPI values of the user's own territories (record
    rules apply: read as the user) ranked per KPI, and the completeness of
    the period (``prm.benchmark.export._completeness_rows``).
    """

    _name = "report.prm_benchmark.report_network"
    _description = "Benchmark network report"

    @api.model
    def _territories(self):
        """The territories (with sub-areas) whose dealers the user may see
        by name; AccessError for users who are neither head office nor a
        territory manager."""
        user = self.env.user
        managed = user.prm_managed_territory_ids
        if not user._prm_is_head_office() and not managed:
            raise AccessError(_("Only head office and territory managers may "
                                "print the network report."))
        return self.env["prm.territory"].search([("id", "child_of", managed.ids)]) \
            if managed else managed

    @api.model
    def get_report_values(self, docids, data=None):
        territories = self._territories()
        periods = self.env["prm.benchmark.period"].browse(docids).exists()
        return {"doc_ids": periods.ids, "doc_model": "prm.benchmark.period",
                "docs": periods, "reports": [
                    self._network_values(period, territories) for period in periods]}

    @api.model
    def _network_values(self, period, territories):
        fmt = number_format_of(self.env)
        head_office = self.env.user._prm_is_head_office()
        # sudo: KPI definitions are configuration, readable by all users.
        kpis = self.env["prm.benchmark.kpi"].sudo().search([])
        section_labels = dict(self.env["prm.benchmark.kpi"].fields_get(
            ["section"])["section"]["selection"])
        units = self.env["prm.benchmark.analysis"]._unit_labels()
        distribution = self._distribution(period, kpis, fmt, live=head_office)
        labels = {"median": _("Median"), "quartiles": _("Lower to upper quartile")}
        sections = []
        for key, _label in KPI_SECTIONS:
            rows = [{"name": kpi.name, "unit_label": units.get(kpi.unit, ""),
                     "groups": distribution[kpi.id], "chart": self._range_chart(
                         kpi, distribution[kpi.id], fmt, labels)}
                    for kpi in kpis if kpi.section == key]
            if rows:
                sections.append({"label": section_labels.get(key, key),
                                 "kpis": rows})
        company = self.env.user.company_id.sudo()
        return {
            "period": period, "sections": sections,
            "ranking": self._ranking(period, kpis, territories, fmt, units),
            "completeness": self._completeness(period, territories, head_office),
            "territories": ", ".join(territories.mapped("complete_name")),
            "head_office": head_office,
            "generated": self.env["prm.benchmark.export"]._today_text(),
            # sudo: the operator's name and logo on the cover (own company).
            "company_name": company.name,
            "logo": company.logo and "data:image/png;base64," +
            company.logo.decode("ascii"),
        }

    @api.model
    def _distribution(self, period, kpis, fmt, live):
        """``{kpi_id: [{group, count, q1, median, q3, top_quartile_mean,
        cells}]}``: the anonymity-filtered statistics of every group."""
        engine = self.env["prm.benchmark.engine"]
        result = {kpi.id: [] for kpi in kpis}
        groups = self.env["prm.benchmark.group"].search([]).sorted(
            key=lambda g: (not g.is_network, g.sequence, g.name))
        for group in groups:
            published = engine._published_statistics(period, group, kpis, live=live)
            for kpi in kpis:
                stats = published.get(kpi.id) or {}
                withheld = bool(stats.get("withheld"))
                row = {"group": group.name, "withheld": withheld,
                       "count": None if withheld else stats.get("count")}
                for key in STAT_CELLS:
                    row[key] = None if withheld else stats.get(key)
                row["cells"] = {key: format_cell(row[key], kpi.unit, fmt)
                                for key in STAT_CELLS}
                result[kpi.id].append(row)
        return result

    @api.model
    def _range_chart(self, kpi, rows, fmt, labels):
        svg = report_charts.groups_range_svg(kpi.name, kpi.unit, rows, fmt, labels)
        return _data_uri(svg) if svg else None

    @api.model
    def _ranking(self, period, kpis, territories, fmt, units):
        """Per KPI the counted dealers of ``territories`` ranked best first:
        ``[{name, unit_label, rows: [{rank, dealer, territory, cell}]}]``.
        Read as the user: record rules limit a territory manager to the own
        territories."""
        if not territories:
            return []
        values = self.env["prm.benchmark.kpi.value"].search_read([
            ("period_id", "=", period.id), ("entry_state", "in", COUNTED_STATES),
            ("territory_id", "in", territories.ids)],
            ["kpi_id", "partner_id", "territory_id", "value"])
        by_kpi = OrderedDict((kpi.id, []) for kpi in kpis)
        for value in values:
            if value["kpi_id"] and value["kpi_id"][0] in by_kpi:
                by_kpi[value["kpi_id"][0]].append(value)
        ranking = []
        for kpi in kpis:
            rows = sorted(by_kpi[kpi.id], key=lambda v: (
                -v["value"] if kpi.higher_is_better else v["value"],
                v["partner_id"][1]))
            if rows:
                ranking.append({"name": kpi.name,
                                "unit_label": units.get(kpi.unit, ""),
                                "rows": [{"rank": index, "dealer": v["partner_id"][1],
                                          "territory": v["territory_id"] and
                                          v["territory_id"][1] or "",
                                          "cell": format_cell(v["value"], kpi.unit,
                                                              fmt)}
                                         for index, v in enumerate(rows, 1)]})
        return ranking

    @api.model
    def _completeness(self, period, territories, head_office):
        """Entries per territory and state: ``[{territory, dealers, counted,
        draft, missing, share}]`` plus a total row; a territory manager's
        own territories only."""
        names = set(territories.mapped("complete_name"))
        states = dict(self.env["prm.benchmark.entry"].fields_get(
            ["state"])["state"]["selection"])
        counted_names = {states[state] for state in COUNTED_STATES}
        table = OrderedDict()
        # The export's rows (all active dealers, read without the ORM):
        # a territory manager keeps the rows of the own territories only.
        for row in self.env["prm.benchmark.export"]._completeness_rows(period):
            if not head_office and row["territory"] not in names:
                continue
            line = table.setdefault(row["territory"] or "–", dict.fromkeys(
                ("dealers", "counted", "open", "missing"), 0))
            line["dealers"] += 1
            if row["state"] in counted_names:
                line["counted"] += 1
            elif row["state"] == _("missing"):
                line["missing"] += 1
            else:
                line["open"] += 1
        total = dict.fromkeys(("dealers", "counted", "open", "missing"), 0)
        rows = []
        for territory in sorted(table):
            line = table[territory]
            for key in total:
                total[key] += line[key]
            rows.append(dict(line, territory=territory))
        for row in rows + [total]:
            row["share"] = format_cell(
                100.0 * row["counted"] / row["dealers"] if row["dealers"] else None,
                "percent", number_format_of(self.env))
        return {"rows": rows, "total": total}
