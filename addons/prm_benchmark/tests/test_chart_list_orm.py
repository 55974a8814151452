"""The chart list of a view comes from the KPI records (issue 15)."""
from ..lib.analysis_view import CHART_HINTS
from .common import BenchmarkCase


class TestChartListOrm(BenchmarkCase):

    def charts(self):
        data = self.env["prm.benchmark.analysis"]._analysis_data(
            self.dealers[0], self.q1, self.group)
        return {chart["id"]: chart for chart in data["charts"]}, data

    def test_renaming_a_kpi_code_keeps_its_chart(self):
        kpi = self.kpi["dso"]
        kpi.chart_hint = "line"
        before, _data = self.charts()
        assert before["trend_dso"]["kpis"] == ["dso"]
        kpi.code = "days_receivable"
        after, data = self.charts()
        assert "trend_dso" not in after
        chart = after["trend_days_receivable"]
        assert (chart["kind"], chart["kpis"], chart["title"]) == (
            "trend", ["days_receivable"], before["trend_dso"]["title"])
        assert set(before) - {"trend_dso"} == set(after) - {"trend_days_receivable"}
        assert "days_receivable" in {row["code"] for row in data["kpis"]}

    def test_hint_none_removes_the_kpi_from_every_chart(self):
        self.kpi["dso"].chart_hint = "none"
        charts, _data = self.charts()
        assert all("dso" not in chart["kpis"] for chart in charts.values())

    def test_the_hint_selection_is_the_chart_lists(self):
        field = self.env["prm.benchmark.kpi"]._fields["chart_hint"]
        assert tuple(key for key, _label in field.selection) == CHART_HINTS

    def test_the_workbook_trend_sheet_shows_the_pages_trend_kpis(self):
        """Page and XLSX from one view model: the trend sheet has a column
        pair for each KPI the page charts as a trend, whatever its code or
        position (the export took the first six KPIs before)."""
        import io

        import openpyxl
        self.kpi["dso"].chart_hint = "line"
        self.kpi["dso"].code = "days_receivable"
        _charts, data = self.charts()
        expected = [code for chart in data["charts"]
                    if chart["kind"] in ("trend", "trend_multi")
                    for code in chart["kpis"]]
        assert "days_receivable" in expected
        names = {row["code"]: row["name"] for row in data["kpis"]}
        book = openpyxl.load_workbook(io.BytesIO(
            self.env["prm.benchmark.export"]._partner_view_xlsx(data)))
        sheet = [ws for ws in book.worksheets if ws.title in ("Trend", "Verlauf")][0]
        headers = [cell.value for cell in sheet[4][1:] if cell.value]
        shown = []
        for header in headers:
            name = header.rsplit(": ", 1)[0]
            if name not in shown:
                shown.append(name)
        assert shown == [names[code] for code in dict.fromkeys(expected)]

    def test_money_is_labelled_with_the_companys_currency(self):
        """Outside review: the unit read "Währung" / "Währung je Mitarbeiter"."""
        symbol = self.env.user.company_id.currency_id.symbol
        _charts, data = self.charts()
        labels = {row["unit"]: row["unit_label"] for row in data["kpis"]}
        assert labels["currency"] == symbol
        assert labels.get("per_employee", symbol + " per employee") == \
            symbol + " per employee"
