import base64

from odoo import _, api, models
from odoo.exceptions import AccessError
from odoo.tools import pycompat

from ..glue import number_format_of
from ..lib import pdf_pages, report_charts, report_summary
from ..lib.analysis_view import format_cell
from .benchmark_export import freshness_text, trend_kpis

PARTICIPANT_REPORT = "prm_benchmark.report_participant"
NETWORK_REPORT = "prm_benchmark.report_network"


def _data_uri(svg):
    return "data:image/svg+xml;base64," + base64.b64encode(
        svg.encode("utf-8")).decode("ascii")


class ParticipantReport(models.AbstractModel):
    """The dealer's personal benchmark report (QWeb, printed as PDF).

    Every number in it comes from the analysis view model
    (``prm.benchmark.analysis._analysis_data``, ``lib.analysis_view``) that
    the page, the JSON route and the XLSX export consume: only what the
    release rules give this dealer is printed, withheld statistics are None
    there and stay empty here.
    """

    _name = "report.prm_benchmark.report_participant"
    _description = "Benchmark participant report"

    @api.model
    def _check_access(self, entry):
        """Head office prints any dealer's report, a managing director only
        the own company's; everybody else (bookkeeper, other dealers) none."""
        user = self.env.user
        if user._prm_is_head_office() or (
                user._prm_is_director() and
                entry.partner_id == user.commercial_partner_id):
            return
        raise AccessError(_("You may not print this benchmark report."))

    @api.model
    def get_report_values(self, docids, data=None):
        """Values of the template: ``reports``, one dict per entry of
        ``docids`` (``prm.benchmark.entry``). ``data``: ``{"group_id": id}``
        (the comparison group; default: the dealer's first visible group).
        Raises AccessError for entries the user may not print and for a
        group the dealer does not see."""
        # sudo: reads only the dealer and period of the entries; access is
        # decided right after by _check_access.
        entries = self.env["prm.benchmark.entry"].sudo().browse(docids).exists()
        analysis = self.env["prm.benchmark.analysis"]
        reports = []
        for entry in entries:
            self._check_access(entry)
            groups = analysis._visible_groups(entry.partner_id, entry.period_id)
            group_id = (data or {}).get("group_id")
            group = groups.filtered(lambda g: g.id == group_id) if group_id \
                else groups[:1]
            if not group:
                raise AccessError(_("This comparison group is not available."))
            reports.append(self._participant_values(
                analysis._analysis_data(entry.partner_id, entry.period_id, group)))
        return {"doc_ids": entries.ids, "doc_model": "prm.benchmark.entry",
                "docs": entries, "reports": reports}

    @api.model
    def _participant_values(self, view):
        """The template's values of one view model ``view``: the view itself
        plus what is derived from its numbers only (sentences, charts,
        formatted trend and target tables)."""
        fmt = number_format_of(self.env)
        lang = self.env.lang or "en_US"

        def gettext(source):
            return self.env["ir.translation"]._get_source(
                None, ("code",), lang, source) if lang != "en_US" else source

        labels = self.env["prm.benchmark.analysis"]._labels()
        chart_labels = dict(labels, quartiles=_("Lower to upper quartile"))
        histograms = {code for chart in view.get("charts") or ()
                      if chart["kind"] == "histogram" for code in chart["kpis"]}
        trends = {row["code"] for row in trend_kpis(view)}
        charts = {}
        for row in view["kpis"]:
            drawn = []
            if row["code"] in trends and len(view["periods"]) > 1:
                drawn.append(report_charts.trend_svg(
                    row, view["periods"], fmt, chart_labels))
            if row["code"] in histograms and row["code"] in view["distribution"]:
                drawn.append(report_charts.distribution_svg(
                    row, view["distribution"][row["code"]], fmt, chart_labels))
            charts[row["code"]] = [_data_uri(svg) for svg in drawn if svg]
        counts = [row["stats"]["count"] for row in view["kpis"]
                  if row["stats"]["count"] is not None]
        # sudo: KPI formulas are configuration (the appendix explains them).
        formulas = {kpi.code: kpi.formula for kpi in
                    self.env["prm.benchmark.kpi"].sudo().search([])}
        company = self.env.user.company_id
        return {
            "view": view, "labels": labels, "fmt": fmt,
            "summary": report_summary.summary(view, fmt, gettext),
            "charts": charts,
            "count": max(counts) if counts else None,
            "as_of": freshness_text(view.get("freshness")),
            "generated": self.env["prm.benchmark.export"]._today_text(),
            # sudo: the operator's logo and name on the cover (own company).
            "company_name": company.sudo().name,
            "logo": company.sudo().logo and "data:image/png;base64," +
            pycompat.to_text(company.sudo().logo),
            "trend_rows": [dict(row, trend_cells=[
                format_cell(value, row["unit"], fmt) for value in row["trend"]["own"]],
                median_cells=[format_cell(value, row["unit"], fmt)
                              for value in row["trend"]["median"]])
                for row in trend_kpis(view)] if len(view["periods"]) > 1 else [],
            "targets": [dict(target, target_cell=format_cell(
                target["target"], target["unit"], fmt), actual_cell=format_cell(
                target["actual"], target["unit"], fmt), attainment_cell=format_cell(
                target["attainment"], "percent", fmt))
                for target in view.get("targets") or ()],
            "formulas": formulas,
        }


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.multi
    def render_qweb_pdf(self, res_ids=None, data=None):
        """Odoo's PDF plus the footer line (page n of N) for our reports:
        Debian's wkhtmltopdf ignores Odoo's footer (``lib.pdf_pages``)."""
        content, kind = super().render_qweb_pdf(res_ids, data=data)
        # The footer's left text per report (lib.pdf_pages).
        left = {PARTICIPANT_REPORT: _("Confidential: for the participant only"),
                NETWORK_REPORT: _("Internal and confidential")}.get(self.report_name)
        if left and kind == "pdf" and content[:5] == b"%PDF-":
            content = pdf_pages.stamp_footer(
                content, _("Page %(page)s of %(pages)s"), left=left)
        return content, kind
