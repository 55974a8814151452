"""Data fidelity (issue 17): what is typed, imported and exported is stored
and shown exactly, with files really written by XlsxWriter and openpyxl.

pandas is not installed in the project's environment; it writes through
XlsxWriter or openpyxl, whose files are tested here. LibreOffice is not
installed either: a file as LibreOffice Calc saves it (results calculated,
no request to recalculate on load) is crafted from an XlsxWriter file.
"""
import io
import re
import zipfile

import openpyxl
import pytest
import xlsxwriter
from hypothesis import given, settings, strategies as st

from ..lib.numbers import (
    NumberError, format_exact, parse_edited, parse_number)
from ..lib.questionnaire import (
    QuestionnaireError, is_percent_format, make_sample_workbook, parse,
    read_rows, suggest_mapping)
from ..lib.xlsx_export import (
    UNIT_LABELS, write_network_export, write_partner_view, write_text)

GERMAN = {'decimal_point': ',', 'thousands_sep': '.'}
ENGLISH = {'decimal_point': '.', 'thousands_sep': ','}
LOCALES = st.sampled_from([GERMAN, ENGLISH])
UNITS = sorted(['currency', 'count', 'area', 'percent', 'days', 'hours'])
RICH_NAMES = ['<r>Müller & Söhne</r>', '<r><t>Schmidt</t></r>',
              '<r><rPr><b/></rPr><t>Fett</t></r>']

# --- entry form: typed, stored, shown ------------------------------------------


def test_edit_field_shows_the_stored_value_exactly():
    # Issue 17.1: "25,875" was shown as "25,88" and saved back as 25.88.
    stored = parse_number('25,875', **GERMAN)
    assert stored == 25.875
    assert format_exact(stored, **GERMAN) == '25,875'
    assert format_exact(10.0, **GERMAN) == '10'
    assert format_exact(1234567.125, **GERMAN) == '1.234.567,125'
    assert format_exact(1234567.125, **ENGLISH) == '1,234,567.125'
    assert format_exact(-0.0, **GERMAN) == '0'
    assert format_exact(None) == ''


def test_an_untouched_field_keeps_its_stored_float():
    # A value with more digits than can be typed (a formula result of an
    # old import) is shown with 15 and, unchanged, stays what it was.
    noisy = 0.1 + 0.2
    assert format_exact(noisy, **GERMAN) == '0,3'
    assert parse_edited('0,3', noisy, **GERMAN) is noisy
    assert parse_edited(' 0,3 ', noisy, **GERMAN) is noisy
    assert parse_edited('0,4', noisy, **GERMAN) == 0.4
    assert parse_edited('', noisy, **GERMAN) is None
    assert parse_edited('25,875', None, **GERMAN) == 25.875


@pytest.mark.parametrize('text, expected', [
    ('\u221212,5', -12.5),             # minus sign (word processors)
    ('\u2013 12,5'.replace(' ', ''), -12.5),  # en dash
    ('\u22121.234,50', -1234.5),
    ('1\u00a0234\u00a0567,5', 1234567.5),  # no-break spaces
    ('1\u202f234,5', 1234.5),              # narrow no-break space
    ("1'234'567,25", 1234567.25),          # Swiss apostrophes
    ('1\u2019234,5', 1234.5),              # typographic apostrophe
    ('\uff0d5', -5.0),                     # full-width hyphen-minus
    ('1.234,56-', -1234.56),               # trailing minus (bank, SAP)
    ('12,50-', -12.5),
    ('5\u2212', -5.0),                     # trailing typographic minus
])
def test_numbers_as_pasted_from_word_processors_and_bank_exports(
        text, expected):
    assert parse_number(text, **GERMAN) == expected


@pytest.mark.parametrize('text', [
    "1'234.567", '1.234 567', '\u2212\u22125', '-5-', '\u22125\u2212',
    '+5-', '5--', "1'23",
])
def test_mixed_or_misplaced_separators_are_still_refused(text):
    with pytest.raises(NumberError):
        parse_number(text, **GERMAN)


FINITE = st.floats(allow_nan=False, allow_infinity=False)


@st.composite
def stored_values(draw):
    """Floats as the form and the import store them (<= 15 digits)."""
    value = draw(FINITE.filter(lambda v: abs(v) < 1e15))
    return float('%.*g' % (draw(st.integers(1, 15)), value))


@given(stored_values(), LOCALES)
def test_every_stored_value_round_trips_through_the_form(value, locale):
    text = format_exact(value, **locale)
    assert parse_number(text, **locale) == value, text
    assert parse_edited(text, value, **locale) == value


@given(FINITE, LOCALES)
def test_any_float_shown_unchanged_is_kept_exactly(value, locale):
    text = format_exact(value, **locale)
    assert parse_edited(text, value, **locale) is value


# --- import: formulas, number formats, dealers ----------------------------------

INPUTS = [
    {'code': 'revenue', 'name': 'Umsatz', 'unit': 'currency'},
    {'code': 'result_pct', 'name': 'Rendite', 'unit': 'percent'},
    {'code': 'staff', 'name': 'Mitarbeiter', 'unit': 'count'},
]
SPECS = {field['code']: {'code': field['code'], 'label': field['name'],
                         'unit': field['unit'], 'allow_negative': True}
         for field in INPUTS}
HEADER = ['Kundennummer', 'Firma', 'Umsatz', 'Rendite', 'Mitarbeiter']


def find_dealer(ref, name):
    return {'10001': 1, '10002': 2, '10003': 3, '10004': 4}.get(ref)


def plan_of(data, finder=find_dealer):
    headers, _rows = read_rows(data)
    return parse(data, suggest_mapping(headers, INPUTS), finder, SPECS)


def templates(problems):
    return [(p.row, p.column, p.message.template) for p in problems]


UNCALCULATED = ("Cell %(cell)s holds a formula whose result was not "
                "calculated by a spreadsheet program (the file was written by "
                "another program); please open the file in Excel or "
                "LibreOffice Calc, save it and upload it again")


def xlsxwriter_file(write_rows):
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {'in_memory': True})
    sheet = workbook.add_worksheet('2019')
    sheet.write_row(0, 0, HEADER)
    write_rows(workbook, sheet)
    workbook.close()
    return output.getvalue()


def as_saved_by_a_spreadsheet_program(data):
    """The file as Excel or LibreOffice Calc save it: results calculated,
    no request to recalculate every formula on opening."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, 'w', zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == 'xl/workbook.xml':
                content = re.sub(rb'\s*fullCalcOnLoad="1"', b'', content)
            if info.filename == 'docProps/app.xml':
                content = content.replace(b'Microsoft Excel',
                                          b'LibreOffice/7.4')
            target.writestr(info, content)
    return output.getvalue()


def test_xlsxwriter_formula_with_cached_zero_is_refused_naming_the_cell():
    # Issue 17.4: XlsxWriter (and pandas with it) store 0 as the result.
    def rows(workbook, sheet):
        sheet.write_row(1, 0, ['10001', 'Alpha', 1000, 5, 3])
        sheet.write_row(2, 0, ['10002', 'Beta', 2000, 6])
        sheet.write_formula(2, 4, '=2+2')
    plan = plan_of(xlsxwriter_file(rows))
    assert templates(plan.problems) == [(3, 'E', UNCALCULATED)]
    assert plan.problems[0].message.params == {'cell': 'E3'}
    assert not plan.ok


def test_openpyxl_formula_without_result_is_refused():
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER)
    workbook.active.append(['10001', 'Alpha', '=1000*2', 5, 3])
    output = io.BytesIO()
    workbook.save(output)
    plan = plan_of(output.getvalue())
    assert [p.column for p in plan.problems] == ['C'] and not plan.ok


def test_formula_results_calculated_by_a_spreadsheet_program_are_imported():
    def rows(workbook, sheet):
        sheet.write_row(1, 0, ['10001', 'Alpha'])
        sheet.write_formula(1, 2, '=1000+250', None, 1250)
        sheet.write_formula(1, 4, '=2+2', None, 0)  # a real 0 result
    data = as_saved_by_a_spreadsheet_program(xlsxwriter_file(rows))
    plan = plan_of(data)
    assert plan.ok, plan.problems
    assert plan.rows[0]['values'] == {'revenue': 1250.0, 'staff': 0.0}


def test_many_formulas_all_zero_are_not_believed_either():
    def rows(workbook, sheet):
        for row in range(1, 4):
            sheet.write_row(row, 0, ['1000%d' % row, 'X'])
            sheet.write_formula(row, 2, '=A1*2', None, 0)
    data = as_saved_by_a_spreadsheet_program(xlsxwriter_file(rows))
    plan = plan_of(data)
    assert templates(plan.problems) == [
        (row, 'C', UNCALCULATED) for row in (2, 3, 4)]


@pytest.mark.parametrize('number_format, percent', [
    ('0.0%', True), ('0%', True), ('0.00 %', True), ('#,##0.0%;-#,##0.0%', True),
    ('0.0 "%"', False), ('0.0\\%', False), ('#,##0', False), ('General', False),
    ('[Red]0.0%', True), (None, False),
])
def test_percent_number_formats(number_format, percent):
    assert is_percent_format(number_format) is percent


def test_percent_formatted_cell_is_imported_in_percent_units():
    # Issue 17.5: "12,5 %" holds 0.125; the input's unit means 12.5.
    def rows(workbook, sheet):
        percent = workbook.add_format({'num_format': '0.0%'})
        sheet.write_row(1, 0, ['10001', 'Alpha', 1000])
        sheet.write_number(1, 3, 0.125, percent)
        sheet.write_row(2, 0, ['10002', 'Beta', 1000])
        sheet.write_number(2, 3, 0.07, percent)   # 7.000000000000001 * 100
        sheet.write_row(3, 0, ['10003', 'Gamma', 1000, 12.5])  # no format
    plan = plan_of(xlsxwriter_file(rows))
    assert plan.ok, plan.problems
    assert [row['values']['result_pct'] for row in plan.rows] == [
        12.5, 7.0, 12.5]


def test_text_cells_with_a_trailing_minus_are_imported_negative():
    # Issue 17.3: figures pasted from a bank statement or an SAP export
    def rows(workbook, sheet):
        sheet.write_row(1, 0, ['10001', 'Alpha', '1.234,56-', '12,50-', '3'])
        sheet.write_row(2, 0, ['10002', 'Beta', '-1.234,56-', '1', '3'])
    plan = plan_of(xlsxwriter_file(rows))
    assert plan.rows[0]['values']['revenue'] == -1234.56
    assert plan.rows[0]['values']['result_pct'] == -12.5
    assert [(p.row, p.column) for p in plan.problems] == [(3, 'C')]


def test_percent_formatted_cell_of_openpyxl_file():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(['10001', 'Alpha', 1000, 0.125, 3])
    sheet['D2'].number_format = '0.00%'
    output = io.BytesIO()
    workbook.save(output)
    plan = plan_of(output.getvalue())
    assert plan.rows[0]['values']['result_pct'] == 12.5


def test_percent_format_on_a_currency_input_is_refused():
    def rows(workbook, sheet):
        sheet.write_row(1, 0, ['10001', 'Alpha'])
        sheet.write_number(1, 2, 0.5, workbook.add_format({'num_format': '0%'}))
    plan = plan_of(xlsxwriter_file(rows))
    assert [(p.row, p.column, p.message.params) for p in plan.problems] == [
        (2, 'C', {'cell': 'C2', 'label': 'Umsatz'})]


def test_finder_refusals_are_row_problems():
    # Issue 17.6: the finder says why (ambiguous name, unknown number).
    data = make_sample_workbook(
        [{'ref': '10001', 'name': 'Alpha'}, {'ref': '', 'name': 'Twin'}],
        INPUTS, {'10001': {'revenue': 1.0}, '': {'revenue': 2.0}}, 2019)

    def finder(ref, name):
        if ref:
            raise QuestionnaireError('unknown %(ref)s', ref=ref)
        raise QuestionnaireError('two %(name)s', name=name)
    plan = plan_of(data, finder)
    assert templates(plan.problems) == [(3, 'A', 'unknown %(ref)s'),
                                        (4, 'A', 'two %(name)s')]
    assert plan.rows == []


# --- exports: texts exactly as stored ------------------------------------------

def read_back(data):
    return openpyxl.load_workbook(io.BytesIO(data))


def test_write_text_keeps_rich_text_shaped_strings():
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {'in_memory': True})
    sheet = workbook.add_worksheet()
    bold = workbook.add_format({'bold': True})
    for row, name in enumerate(RICH_NAMES):
        write_text(sheet, row, 0, name)
        write_text(sheet, row, 1, name, bold)
    workbook.close()
    sheet = read_back(output.getvalue()).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        [name, name] for name in RICH_NAMES]
    assert sheet['B1'].font.b


def kpi(code, name, unit, **values):
    row = dict(code=code, name=name, unit=unit, own=None, prev=None,
               change=None, median=None, q1=None, q3=None,
               top_quartile_mean=None, count=None, rank=None, percentile=None,
               withheld=False)
    row.update(values)
    return row


def test_partner_view_writes_rich_text_shaped_names_as_they_are():
    # Issue 17.12: the workbook was unreadable / showed "Schmidt".
    for name in RICH_NAMES:
        view = {'title': name, 'dealer': name, 'period': '2019', 'group': name,
                'generated': '01.03.2020', 'sections': [{
                    'name': 'Umsatz', 'kpis': [
                        kpi('a', name, 'currency', own=1.0, median=2.0),
                        kpi('b', name, 'percent', withheld=True)]}],
                'trend': {'periods': ['2019'],
                          'series': {'a': {'own': [1.0], 'median': [2.0]}}}}
        output = io.BytesIO()
        write_partner_view(view, output)
        workbook = read_back(output.getvalue())
        sheet = workbook['Umsatz']
        assert [sheet['A1'].value, sheet['B2'].value, sheet['B4'].value,
                sheet['A8'].value, sheet['A9'].value] == [name] * 5


NETWORK_INPUTS = [
    {'code': 'result', 'name': 'Betriebsergebnis', 'unit': 'currency'},
    {'code': 'staff', 'name': 'Mitarbeiter', 'unit': 'count'},
]
NETWORK_KPIS = [
    {'code': 'result_pct', 'name': 'Betriebsergebnis', 'unit': 'percent'},
    {'code': 'result_pct2', 'name': 'Betriebsergebnis', 'unit': 'percent'},
]


def network(rows, group_rows=(), inputs=None, kpis=None):
    output = io.BytesIO()
    write_network_export(
        {'title': 'Netz', 'period': '2019', 'generated': '01.03.2020'},
        inputs or NETWORK_INPUTS, kpis or NETWORK_KPIS, iter(rows),
        iter(group_rows), iter([]), output)
    return output.getvalue()


def dealer(ref, name, inputs, kpis=None):
    return {'ref': ref, 'name': name, 'territory': name, 'tier': 'A',
            'size_class': 'B', 'state': 'submitted', 'inputs': inputs,
            'kpis': kpis or {}}


def test_network_export_headers_are_unique_and_say_the_unit():
    sheet = read_back(network([]))['Dealers']
    headers = [cell.value for cell in sheet[5]][6:]
    assert headers == ['Betriebsergebnis (EUR)', 'Mitarbeiter (Count)',
                       'Betriebsergebnis (Percent)',
                       'Betriebsergebnis (Percent) [result_pct2]']
    assert len({header.casefold() for header in headers}) == len(headers)


def test_network_export_writes_rich_text_shaped_names_as_they_are():
    rows = [dealer('D%d' % index, name, {'staff': 1.0})
            for index, name in enumerate(RICH_NAMES)]
    groups = [{'group': name, 'kpi': 'result_pct', 'count': 5, 'median': 1.0}
              for name in RICH_NAMES]
    kpis = [{'code': 'result_pct', 'name': RICH_NAMES[0], 'unit': 'percent'}]
    workbook = read_back(network(rows, groups, kpis=kpis))
    sheet = workbook['Dealers']
    assert [sheet.cell(row, 2).value for row in (6, 7, 8)] == RICH_NAMES
    assert [sheet.cell(row, 3).value for row in (6, 7, 8)] == RICH_NAMES
    assert sheet['I5'].value == RICH_NAMES[0] + ' (Percent)'
    stats = workbook['Group statistics']
    assert [stats.cell(row, 1).value for row in (5, 6, 7)] == RICH_NAMES
    assert [stats.cell(row, 2).value for row in (5, 6, 7)] == [
        RICH_NAMES[0]] * 3


# Text a dealer, KPI or group may be called: anything a Char field holds,
# except control characters other than tab and line feed: XML cannot hold
# them, XlsxWriter writes them as "_x001B_" escapes, which Excel turns back
# into the character and openpyxl leaves as they are.
NAMES = st.text(st.one_of(
    st.characters(blacklist_categories=('Cs', 'Cc')), st.sampled_from('\t\n')),
    min_size=1, max_size=40).filter(lambda text: text.strip())


@settings(max_examples=60, deadline=None)
@given(st.lists(NAMES, min_size=1, max_size=4))
def test_every_name_comes_back_exactly_from_the_network_export(names):
    rows = [dealer('D%d' % index, name, {}) for index, name in enumerate(names)]
    sheet = read_back(network(rows))['Dealers']
    assert [sheet.cell(row, 2).value for row in range(6, 6 + len(names))] == \
        names


# --- export -> import round trip -------------------------------------------------

@st.composite
def network_values(draw):
    count = draw(st.integers(1, 5))
    rows = []
    for index in range(count):
        values = {}
        for field in NETWORK_INPUTS:
            if draw(st.booleans()):
                # within the product's rule for figures: at most 4 decimals
                # (lib.plausibility.UNIT_DECIMALS)
                values[field['code']] = round(draw(stored_values()), 4)
        rows.append(dealer('R%03d' % index, draw(NAMES), values))
    return rows


@settings(max_examples=40, deadline=None)
@given(network_values())
def test_network_export_imports_back_unchanged(rows):
    data = network(rows)
    headers, _rows = read_rows(data)
    inputs = [{'code': f['code'], 'name': f['name']} for f in NETWORK_INPUTS]
    mapping = suggest_mapping(headers, inputs)
    assert mapping['ref_column'] == 0
    assert sorted(filter(None, mapping['columns'].values())) == [
        'result', 'staff']
    specs = {f['code']: {'code': f['code'], 'label': f['name'],
                         'unit': f['unit'], 'allow_negative': True}
             for f in NETWORK_INPUTS}
    ids = {row['ref']: index for index, row in enumerate(rows)}
    plan = parse(data, mapping, lambda ref, name: ids.get(ref), specs)
    assert plan.ok, plan.problems
    assert [row['values'] for row in plan.rows] == [
        row['inputs'] for row in rows]
    # The KPI columns and the dealer's attributes are ignored, and said so.
    assert {notice.column for notice in plan.notices} >= {'I', 'J'}


@pytest.mark.parametrize('unit', UNITS)
def test_every_input_unit_round_trips_through_the_questionnaire(unit):
    values = {'10001': {'x': 25.875}, '10002': {'x': -12.5},
              '10003': {'x': 0.1 + 0.2}, '10004': {'x': 1234567.125}}
    inputs = [{'code': 'x', 'name': UNIT_LABELS.get(unit, unit), 'unit': unit}]
    data = make_sample_workbook(
        [{'ref': ref, 'name': ref} for ref in sorted(values)], inputs, values,
        2019)
    specs = {'x': {'code': 'x', 'label': 'x', 'unit': unit,
                   'allow_negative': True}}
    plan = parse(data, suggest_mapping(read_rows(data)[0], inputs),
                 find_dealer, specs)
    assert plan.ok, plan.problems
    imported = [row['values']['x'] for row in plan.rows]
    # As stored, except the 17th digit a spreadsheet never shows.
    assert imported == [25.875, -12.5, 0.3, 1234567.125]
    for value in imported:
        for locale in (GERMAN, ENGLISH):
            assert parse_number(format_exact(value, **locale),
                                **locale) == value
