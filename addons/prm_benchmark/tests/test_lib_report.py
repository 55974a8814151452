"""The participant report's plain-Python parts: summary sentences, charts,
page footers (no ORM)."""
import io
import re
import subprocess

import pytest

from ..lib import pdf_pages, report_charts, report_summary
from ..lib.analysis_view import build_view

FMT = (",", ".")
GERMAN = {
    "%s percentage points": "%s Prozentpunkte",
    "%(kpi)s: your value is %(difference)s above the group median (%(median)s).":
        "%(kpi)s: Ihr Wert liegt %(difference)s über dem Median der Gruppe "
        "(%(median)s).",
}
TEXTS = {"protect": "withheld", "none": "–"}
SECRET = 987654.321


def kpi(code, unit, higher=True, label=""):
    return {"code": code, "name": code.title(), "unit": unit, "unit_label": label,
            "higher_is_better": higher, "section": "s", "description": ""}


def release(median, top=None, q1=None, q3=None, withheld=None):
    return {"count": 12, "median": median, "q1": q1, "q3": q3,
            "top_quartile_mean": top, "withheld": withheld,
            "withheld_fields": {}, "rank": 3, "of": 12, "percentile": 80}


def view(rows):
    """A view of one period: ``rows``: [(kpi, own, release)]."""
    return build_view(
        {"dealer": "D", "period": {"id": 1, "name": "2025"}, "group": {},
         "sections": []},
        [row[0] for row in rows], [{"id": 1, "name": "2025"}], 1, None,
        {(1, row[0]["code"]): row[1] for row in rows},
        {1: {row[0]["code"]: row[2] for row in rows}}, FMT, TEXTS)


def test_percent_kpis_differ_in_points_translated():
    data = view([(kpi("margin", "percent"), 38.0, release(30.0, top=41.5))])
    text = report_summary.summary(data, FMT, lambda s: GERMAN.get(s, s))
    assert text["strongest"] == [
        "Margin: Ihr Wert liegt 8,0 Prozentpunkte über dem Median der Gruppe "
        "(30,0 %). The gap to the mean of the top quartile (41,5 %) is "
        "3,5 Prozentpunkte."]
    assert text["weakest"] == []


def test_currency_in_euro_and_relative_lower_is_better():
    data = view([
        (kpi("costs", "currency", higher=False, label="€"), 110000.0,
         release(100000.0, top=90000.0)),
        (kpi("dso", "days", higher=False, label="Days"), 20.0, release(25.0)),
    ])
    strongest, weakest = report_summary.ranked(data)
    assert [row["code"] for row in strongest] == ["dso"]
    assert [row["code"] for row in weakest] == ["costs"]
    text = report_summary.summary(data, FMT, lambda s: s)
    assert text["weakest"][0].startswith(
        "Costs: your value is 10.000 € (10,0 %) above the group median "
        "(100.000 €).")
    assert "5,0 Days (20,0 %) below" in text["strongest"][0]


def test_withheld_median_is_never_compared():
    data = view([(kpi("secret", "currency", label="€"), 5.0,
                  release(None, withheld="group_too_small")),
                 (kpi("zero", "ratio"), 5.0, release(0.0))])
    assert report_summary.ranked(data) == ([], [])


def test_trend_chart_is_greyscale_svg_of_the_view_series():
    data = view([(kpi("margin", "percent"), 38.0, release(30.0, q1=25.0, q3=35.0))])
    row = data["kpis"][0]
    svg = report_charts.trend_svg(row, data["periods"], FMT, {
        "own": "Own", "median": "Median", "quartiles": "Quartiles"})
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    colours = set(re.findall(r"#([0-9a-fA-F]{6})", svg))
    assert colours and all(c[0:2] == c[2:4] == c[4:6] for c in colours), colours
    empty = dict(row, trend={key: [None] for key in ("own", "median", "q1", "q3")})
    assert report_charts.trend_svg(empty, data["periods"], FMT, {}) is None


def test_distribution_chart_only_from_a_released_histogram():
    row = view([(kpi("margin", "percent"), 38.0, release(30.0))])["kpis"][0]
    labels = {"dealers": "Dealers", "your_position": "You"}
    svg = report_charts.distribution_svg(
        row, {"edges": [0, 10, 20, 30], "counts": [3, 4, 5], "own_bin": 1},
        FMT, labels)
    # The own bar is hatched (an SVG pattern): told apart without colour.
    assert "<svg" in svg and "<pattern" in svg
    assert report_charts.distribution_svg(row, {}, FMT, labels) is None


def small_pdf(pages):
    from reportlab.pdfgen import canvas
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer)
    for index in range(pages):
        sheet.drawString(100, 700, "Body %d" % index)
        sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def pdf_text(content):
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=content,
                          stdout=subprocess.PIPE, check=True).stdout.decode()


def test_footer_numbers_every_page():
    stamped = pdf_pages.stamp_footer(small_pdf(3), "Seite %(page)s von %(pages)s",
                                     left="Vertraulich")
    pages = pdf_text(stamped).split("\f")
    assert ["Seite %d von 3" % n in page for n, page in enumerate(pages[:3], 1)] \
        == [True] * 3
    assert all("Vertraulich" in page and "Body" in page for page in pages[:3])
    with pytest.raises(Exception):
        pdf_pages.stamp_footer(b"not a pdf", "%(page)s")


def test_footer_keeps_the_page_content_as_it_is():
    """The footer is added, the page's own content stream is copied byte for
    byte (not parsed and rewritten: that took seconds per chart page)."""
    from PyPDF2 import PdfFileReader

    def streams(content):
        reader = PdfFileReader(io.BytesIO(content))
        result = []
        for index in range(reader.getNumPages()):
            contents = reader.getPage(index)["/Contents"].getObject()
            parts = contents if isinstance(contents, list) else [contents]
            result.append([part.getObject()._data for part in parts])
        return result

    original = small_pdf(2)
    stamped = streams(pdf_pages.stamp_footer(original, "%(page)s/%(pages)s"))
    assert [page[0] in stamped_page for page, stamped_page in
            zip(streams(original), stamped)] == [True, True]


def test_ranking_is_relative_to_the_median_not_in_the_unit():
    data = view([(kpi("revenue", "currency", label="€"), 110000.0, release(100000.0)),
                 (kpi("margin", "percent"), 39.0, release(30.0))])
    assert [row["code"] for row in report_summary.ranked(data)[0]] == [
        "margin", "revenue"]


def test_group_range_chart_skips_groups_without_a_median():
    rows = [{"group": "Netz", "q1": 1.0, "median": 2.0, "q3": 3.0},
            {"group": "Klein", "q1": None, "median": None, "q3": None}]
    svg = report_charts.groups_range_svg("Margin", "percent", rows, FMT,
                                         {"median": "Median"})
    assert "<svg" in svg
    assert report_charts.groups_range_svg("Margin", "percent", rows[1:], FMT,
                                          {"median": "Median"}) is None
