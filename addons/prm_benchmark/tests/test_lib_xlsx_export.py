"""Tests of the XLSX exports (dealer view and head-office network export)."""
import datetime
import io
import os
import re
import tracemalloc
import zipfile

import openpyxl
import pytest

from ..lib.xlsx_export import (
    unique_sheet_name, write_network_export, write_partner_view)

WITHHELD = 'withheld (group too small)'
SECRET = 987654.321
PARTNER_HEADER = [
    'KPI', 'Unit', 'Own value', 'Previous period', 'Change %', 'Median',
    'Lower quartile', 'Upper quartile', 'Top quartile mean', 'N', 'Rank',
    'Percentile']


def kpi(code, name, unit, **values):
    row = {
        'code': code, 'name': name, 'unit': unit, 'higher_is_better': True,
        'own': None, 'prev': None, 'change': None, 'median': None, 'q1': None,
        'q3': None, 'top_quartile_mean': None, 'count': None, 'rank': None,
        'percentile': None, 'withheld': False,
    }
    row.update(values)
    return row


def make_view(trend_codes=('sales', 'margin', 'stock_days')):
    sales = kpi('sales', 'Sales', 'currency', own=1250000.0, prev=1000000.0,
                change=25.0, median=900000.0, q1=700000.0, q3=1400000.0,
                top_quartile_mean=1800000.0, count=12, rank=4,
                percentile=75.0)
    margin = kpi('margin', 'Gross margin', 'percent', own=23.5, prev=22.0,
                 change=6.8, median=21.0, q1=18.5, q3=24.0,
                 top_quartile_mean=26.2, count=12, rank=3, percentile=83.3)
    # Statistics present in the dict although withheld: must not be written.
    secret = kpi('stock_days', 'Stock days', 'days', own=41.0, prev=45.0,
                 change=-8.9, median=SECRET, q1=SECRET, q3=SECRET,
                 top_quartile_mean=SECRET, count=3, rank=2, percentile=66.7,
                 withheld=True)
    area = kpi('area', 'Sales area', 'area', own=1200.0, median=950.0,
               count=12, rank=5, percentile=58.3)
    periods = ['2017', '2018', '2019']
    series = {
        'sales': {'own': [900000.0, 1000000.0, 1250000.0],
                  'median': [850000.0, 880000.0, 900000.0]},
        'margin': {'own': [21.0, 22.0, 23.5], 'median': [20.0, 20.5, 21.0]},
        'stock_days': {'own': [50.0, 45.0, 41.0],
                       'median': [SECRET, SECRET, SECRET]},
    }
    return {
        'title': 'Betriebsvergleich 2019', 'dealer': 'Landtechnik Muster GmbH',
        'period': '2019', 'group': 'Size class B', 'generated': '01.03.2020',
        'sections': [
            {'name': 'Sales & Margin', 'kpis': [sales, margin]},
            {'name': 'Stock/Space: [2019]?', 'kpis': [secret, area]},
            {'name': 'Only withheld', 'kpis': [dict(secret, code='x')]},
        ],
        'trend': {'periods': periods,
                  'series': {code: series[code] for code in trend_codes}},
    }


def write_view(tmp_path, view, **kwargs):
    path = str(tmp_path / 'view.xlsx')
    write_partner_view(view, path, **kwargs)
    return path


def read_parts(path, prefix):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode('utf-8')
                for name in archive.namelist() if name.startswith(prefix)}


def test_sheet_names_are_valid_and_unique():
    used = set()
    assert unique_sheet_name('Stock/Space: [2019]?', used) == (
        'Stock-Space- -2019--')
    assert unique_sheet_name('A' * 40, used) == 'A' * 31
    assert unique_sheet_name('a' * 35, used) == 'a' * 27 + ' (2)'
    assert unique_sheet_name("'quoted'", used) == 'quoted'
    assert unique_sheet_name('', used) == 'Sheet'
    assert unique_sheet_name('History', used) == 'History (2)'
    assert unique_sheet_name('SHEET', used) == 'SHEET (2)'


def test_partner_view_sheets_header_and_frozen_panes(tmp_path):
    workbook = openpyxl.load_workbook(write_view(tmp_path, make_view()))
    assert workbook.sheetnames == [
        'Sales & Margin', 'Stock-Space- -2019--', 'Only withheld', 'Trend',
        'Notes']
    sheet = workbook['Sales & Margin']
    assert [sheet.cell(row, 1).value for row in range(1, 6)] == [
        'Betriebsvergleich 2019', 'Dealer', 'Period', 'Comparison group',
        'Generated on']
    assert [sheet.cell(row, 2).value for row in range(2, 6)] == [
        'Landtechnik Muster GmbH', '2019', 'Size class B', '01.03.2020']
    assert [cell.value for cell in sheet[7]] == PARTNER_HEADER
    assert sheet.freeze_panes == 'B8'
    assert sheet.column_dimensions['A'].width > 30


def test_partner_view_values_and_number_formats(tmp_path):
    sheet = openpyxl.load_workbook(
        write_view(tmp_path, make_view()))['Sales & Margin']
    assert [cell.value for cell in sheet[8]] == [
        'Sales', 'EUR', 1250000, 1000000, 25, 900000, 700000, 1400000,
        1800000, 12, 4, 75]
    assert [cell.value for cell in sheet[9]][:6] == [
        'Gross margin', 'Percent', 23.5, 22, 6.8, 21]
    assert sheet['C8'].number_format == '#,##0 "€"'
    assert sheet['I8'].number_format == '#,##0 "€"'
    assert sheet['C9'].number_format == '0.0 "%"'
    assert sheet['F9'].number_format == '0.0 "%"'
    assert sheet['E9'].number_format == '+0.0 "%";-0.0 "%";0.0 "%"'
    assert sheet['J9'].number_format == '0'
    other = openpyxl.load_workbook(
        write_view(tmp_path, make_view()))['Stock-Space- -2019--']
    assert other['C8'].number_format == '0.0'
    assert other['C9'].number_format == '#,##0 "m²"'


def test_withheld_statistics_are_never_written(tmp_path):
    path = write_view(tmp_path, make_view())
    sheet = openpyxl.load_workbook(path)['Stock-Space- -2019--']
    row = [cell.value for cell in sheet[8]]
    # The dealer's own figures stay, every statistic column is text or empty.
    assert row[:5] == ['Stock days', 'Days', 41, 45, -8.9]
    assert row[5] == WITHHELD
    assert row[6:] == [None] * 6
    assert 'F8:L8' in {str(cells) for cells in sheet.merged_cells.ranges}
    # The next (not withheld) KPI still has its statistics.
    assert sheet['F9'].value == 950
    parts = read_parts(path, 'xl/')
    assert any('sharedStrings' in name for name in parts)
    for name, text in parts.items():
        assert '987654' not in text, name


def test_partner_view_column_chart_per_section(tmp_path):
    path = write_view(tmp_path, make_view())
    charts = read_parts(path, 'xl/charts/')
    column_charts = {name: xml for name, xml in charts.items()
                     if '<c:barChart>' in xml}
    # The section with only withheld KPIs gets no chart.
    assert len(column_charts) == 2
    first = charts['xl/charts/chart1.xml']
    assert '<c:barDir val="col"/>' in first
    assert first.count('<c:ser>') == 3
    assert 'Sales &amp; Margin: own value vs. median vs. top quartile' in first
    assert '<a:t>KPI</a:t>' in first and '<a:t>Value</a:t>' in first
    assert '<c:legend>' in first
    # Chart data table: header in row 12, two KPIs in rows 13-14.
    assert "<c:f>'Sales &amp; Margin'!$A$13:$A$14</c:f>" in first
    assert "<c:f>'Sales &amp; Margin'!$C$13:$C$14</c:f>" in first
    second = charts['xl/charts/chart2.xml']
    # Only the KPI that is not withheld is charted.
    assert "<c:f>'Stock-Space- -2019--'!$A$13</c:f>" in second
    assert '<c:v>Sales area</c:v>' in second
    assert 'Stock days' not in second
    sheet = openpyxl.load_workbook(path)['Sales & Margin']
    assert [cell.value for cell in sheet[12]][:4] == [
        'KPI', 'Own value', 'Median', 'Top quartile mean']
    assert [cell.value for cell in sheet[14]][:4] == ['Gross margin', 23.5,
                                                      21, 26.2]


def test_trend_sheet_table_and_line_charts(tmp_path):
    path = write_view(tmp_path, make_view())
    sheet = openpyxl.load_workbook(path)['Trend']
    # The withheld KPI keeps its own values but loses the median column.
    assert [cell.value for cell in sheet[4]] == [
        'Period', 'Sales: Own value', 'Sales: Median',
        'Gross margin: Own value', 'Gross margin: Median',
        'Stock days: Own value']
    assert [cell.value for cell in sheet[6]] == ['2018', 1000000, 880000, 22,
                                                 20.5, 45]
    assert sheet['B5'].number_format == '#,##0 "€"'
    assert sheet['D5'].number_format == '0.0 "%"'
    assert sheet.freeze_panes == 'B5'
    line_charts = [xml for xml in read_parts(path, 'xl/charts/').values()
                   if '<c:lineChart>' in xml]
    assert len(line_charts) == 3
    sales = [xml for xml in line_charts if '<a:t>Sales</a:t>' in xml][0]
    assert "<c:f>Trend!$A$5:$A$7</c:f>" in sales
    assert "<c:f>Trend!$C$5:$C$7</c:f>" in sales


def test_at_most_six_trend_charts(tmp_path):
    view = make_view(trend_codes=())
    series = {'k%d' % index: {'own': [1.0, 2.0, 3.0], 'median': [2.0] * 3}
              for index in range(8)}
    view['trend']['series'] = series
    path = write_view(tmp_path, view)
    line_charts = [xml for xml in read_parts(path, 'xl/charts/').values()
                   if '<c:lineChart>' in xml]
    assert len(line_charts) == 6
    sheet = openpyxl.load_workbook(path)['Trend']
    assert sheet.max_column == 1 + 2 * 8


def test_without_trend_there_is_no_trend_sheet(tmp_path):
    view = make_view()
    del view['trend']
    workbook = openpyxl.load_workbook(write_view(tmp_path, view))
    assert workbook.sheetnames[-2:] == ['Only withheld', 'Notes']


def test_notes_sheet_explains_the_terms(tmp_path):
    sheet = openpyxl.load_workbook(write_view(tmp_path, make_view()))['Notes']
    terms = [sheet.cell(row, 1).value for row in range(3, 9)]
    assert terms == ['N', 'Median', 'Quartiles', 'Top quartile mean',
                     'Rank and percentile', 'Anonymity']
    assert 'withheld' in sheet['B8'].value


def test_translate_is_applied_to_fixed_labels(tmp_path):
    path = write_view(tmp_path, make_view(), translate=str.upper)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames[-2:] == ['TREND', 'NOTES']
    sheet = workbook['Sales & Margin']
    assert [cell.value for cell in sheet[7]] == [
        label.upper() for label in PARTNER_HEADER]
    assert sheet['A2'].value == 'DEALER'
    assert sheet['B8'].value == 'EUR'
    # Caller data is not translated.
    assert sheet['A8'].value == 'Sales'
    assert workbook['Stock-Space- -2019--']['F8'].value == WITHHELD.upper()


def test_texts_are_never_formulas(tmp_path):
    view = make_view()
    view['dealer'] = '=HYPERLINK("http://evil.example","x")'
    sheet = openpyxl.load_workbook(
        write_view(tmp_path, view))['Sales & Margin']
    assert sheet['B2'].value == view['dealer']
    assert sheet['B2'].data_type == 's'


def test_unknown_unit_is_refused(tmp_path):
    view = make_view()
    view['sections'][0]['kpis'][0]['unit'] = 'parsecs'
    with pytest.raises(ValueError):
        write_view(tmp_path, view)


INPUTS = [{'code': 'revenue', 'name': 'Revenue', 'unit': 'currency'},
          {'code': 'staff', 'name': 'Employees', 'unit': 'count'}]
KPIS = [{'code': 'margin', 'name': 'Gross margin', 'unit': 'percent'},
        {'code': 'per_head', 'name': 'Revenue per employee',
         'unit': 'per_employee'}]
META = {'title': 'Network export', 'period': '2019', 'generated': '01.03.2020'}


def dealers(count):
    for index in range(count):
        yield {
            'ref': 'D%05d' % index, 'name': 'Dealer %d' % index,
            'territory': 'North', 'tier': 'A', 'size_class': 'B',
            'state': 'submitted',
            'inputs': {'revenue': 1000.0 * index, 'staff': index % 50},
            'kpis': {'margin': 20.0 + index % 7, 'per_head': None},
        }


GROUP_ROWS = [
    {'group': 'All', 'kpi': 'margin', 'count': 40, 'median': 21.5, 'q1': 19.0,
     'q3': 24.0, 'top_quartile_mean': 25.5, 'mean': 21.9, 'withheld': False},
    {'group': 'Size A', 'kpi': 'per_head', 'count': 3, 'median': SECRET,
     'q1': SECRET, 'q3': SECRET, 'top_quartile_mean': SECRET, 'mean': SECRET,
     'withheld': True},
]
COMPLETENESS = [
    {'ref': 'D00001', 'name': 'Dealer 1', 'territory': 'North',
     'state': 'submitted', 'submitted_on': datetime.date(2020, 2, 14),
     'missing_inputs': 0},
    {'ref': 'D00002', 'name': 'Dealer 2', 'territory': 'South',
     'state': 'draft', 'submitted_on': None, 'missing_inputs': 7},
]


def export(output, rows, **kwargs):
    return write_network_export(META, INPUTS, KPIS, rows, iter(GROUP_ROWS),
                                iter(COMPLETENESS), output, **kwargs)


def test_network_export_dealers_sheet(tmp_path):
    path = str(tmp_path / 'network.xlsx')
    assert export(path, dealers(3)) == 3
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ['Dealers', 'Group statistics',
                                   'Completeness']
    sheet = workbook['Dealers']
    assert sheet.freeze_panes == 'C6'
    assert sheet['A1'].value == 'Network export'
    assert [sheet['A2'].value, sheet['B2'].value] == ['Period', '2019']
    merged = {str(cells) for cells in sheet.merged_cells.ranges}
    assert merged == {'A4:F4', 'G4:H4', 'I4:J4'}
    assert [sheet['A4'].value, sheet['G4'].value, sheet['I4'].value] == [
        'Dealer', 'Inputs', 'KPIs']
    assert [cell.value for cell in sheet[5]] == [
        'Customer number', 'Name', 'Territory', 'Tier', 'Size class', 'State',
        'Revenue (EUR)', 'Employees (Count)', 'Gross margin (Percent)',
        'Revenue per employee (EUR per employee)']
    assert [cell.value for cell in sheet[8]] == [
        'D00002', 'Dealer 2', 'North', 'A', 'B', 'submitted', 2000, 2, 22,
        None]
    assert sheet['G8'].number_format == '#,##0 "€"'
    assert sheet['H8'].number_format == '#,##0'
    assert sheet['I8'].number_format == '0.0 "%"'
    assert sheet['J8'].number_format == '#,##0 "€"'
    assert sheet.max_row == 8
    assert sheet.auto_filter.ref == 'A5:J8'


def test_network_export_statistics_and_completeness(tmp_path):
    path = str(tmp_path / 'network.xlsx')
    export(path, dealers(1))
    workbook = openpyxl.load_workbook(path)
    groups = workbook['Group statistics']
    assert groups.freeze_panes == 'C5'
    assert [cell.value for cell in groups[4]] == [
        'Group', 'KPI', 'N', 'Median', 'Lower quartile', 'Upper quartile',
        'Top quartile mean', 'Mean']
    assert [cell.value for cell in groups[5]] == [
        'All', 'Gross margin', 40, 21.5, 19, 24, 25.5, 21.9]
    assert groups['D5'].number_format == '0.0 "%"'
    assert [cell.value for cell in groups[6]] == [
        'Size A', 'Revenue per employee', 3, WITHHELD, None, None, None, None]
    completeness = workbook['Completeness']
    assert [cell.value for cell in completeness[4]] == [
        'Customer number', 'Name', 'Territory', 'State', 'Submitted on',
        'Missing inputs']
    assert [cell.value for cell in completeness[5]] == [
        'D00001', 'Dealer 1', 'North', 'submitted',
        datetime.datetime(2020, 2, 14), 0]
    assert completeness['E5'].number_format == 'dd.mm.yyyy'
    assert [cell.value for cell in completeness[6]] == [
        'D00002', 'Dealer 2', 'South', 'draft', None, 7]
    for name, text in read_parts(path, 'xl/worksheets/').items():
        assert '987654' not in text, name


def test_network_export_translates_labels(tmp_path):
    path = str(tmp_path / 'network.xlsx')
    export(path, dealers(1), translate=str.upper)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ['DEALERS', 'GROUP STATISTICS',
                                   'COMPLETENESS']
    assert workbook['DEALERS']['G4'].value == 'INPUTS'
    assert workbook['DEALERS']['A5'].value == 'CUSTOMER NUMBER'
    # Input and KPI names come from the caller, already translated; the
    # unit label is translated here.
    assert workbook['DEALERS']['G5'].value == 'Revenue (EUR)'


def test_network_export_into_a_file_object(tmp_path):
    output = io.BytesIO()
    assert export(output, dealers(5), tmpdir=str(tmp_path)) == 5
    sheet = openpyxl.load_workbook(io.BytesIO(output.getvalue()))['Dealers']
    assert sheet['A10'].value == 'D00004'
    # Rows were streamed: inline strings instead of a shared string table.
    with zipfile.ZipFile(output) as archive:
        assert 't="inlineStr"' in archive.read(
            'xl/worksheets/sheet1.xml').decode()
    assert os.listdir(str(tmp_path)) == []


def test_network_export_streams_thousands_of_rows(tmp_path):
    path = str(tmp_path / 'network.xlsx')
    inputs = [{'code': 'i%d' % index, 'name': 'Input %d' % index,
               'unit': 'currency'} for index in range(30)]
    kpis = [{'code': 'k%d' % index, 'name': 'KPI %d' % index, 'unit': 'ratio'}
            for index in range(10)]
    consumed = []

    def rows():
        for index in range(3000):
            consumed.append(index)
            yield {
                'ref': 'D%05d' % index, 'name': 'Dealer %d' % index,
                'territory': 'North', 'tier': 'A', 'size_class': 'B',
                'state': 'submitted',
                'inputs': {field['code']: index * 1.5 for field in inputs},
                'kpis': {field['code']: index / 8 for field in kpis},
            }

    tracemalloc.start()
    try:
        written = write_network_export(META, inputs, kpis, rows(), [], [],
                                       path)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert written == 3000 and len(consumed) == 3000
    # Streaming peaks below 1 MB here; holding the cells (no constant_memory)
    # needs about 22 MB and a list of all rows about 12 MB.
    assert peak < 8 * 1024 * 1024
    workbook = openpyxl.load_workbook(path, read_only=True)
    last = list(workbook['Dealers'].iter_rows(min_row=3005, values_only=True))
    workbook.close()
    assert len(last) == 1
    assert last[0][:7] == ('D02999', 'Dealer 2999', 'North', 'A', 'B',
                           'submitted', 4498.5)
    assert last[0][-1] == 374.875


def test_failing_row_source_leaves_no_temporary_files(tmp_path):
    tmpdir = tmp_path / 'tmp'
    tmpdir.mkdir()

    def rows():
        yield from dealers(2)
        raise RuntimeError('database went away')

    path = str(tmp_path / 'network.xlsx')
    with pytest.raises(RuntimeError):
        export(path, rows(), tmpdir=str(tmpdir))
    assert os.listdir(str(tmpdir)) == []
    assert not os.path.exists(path)


def test_network_export_without_rows(tmp_path):
    path = str(tmp_path / 'network.xlsx')
    assert write_network_export(META, INPUTS, KPIS, iter(()), [], [],
                                path) == 0
    sheet = openpyxl.load_workbook(path)['Dealers']
    assert sheet.max_row == 5
    assert re.match(r'A5:J5$', sheet.auto_filter.ref)
