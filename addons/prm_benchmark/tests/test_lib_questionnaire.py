"""Tests of the import of historical Excel questionnaires."""
import io
import struct
import time
import tracemalloc
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from ..lib.questionnaire import (
    MB, Problem, QuestionnaireError, check_file, make_sample_workbook, parse,
    read_rows, suggest_mapping)

EMPTY = "The file is empty"
TOO_LARGE = "The file is larger than %(limit)s MB"
LEGACY = ("This is an old Excel file (.xls) or a password-protected workbook. "
          "Please open it in Excel, save it as \"Excel Workbook (.xlsx)\" "
          "without a password and upload it again")
NOT_XLSX = "The file is not an Excel workbook (.xlsx)"
MACRO = ("Workbooks with macros are not accepted. Please save the file as "
         "\"Excel Workbook (.xlsx)\" and upload it again")
UNPACKS = "The file unpacks to more than %(limit)s MB"
RATIO = ("The file is compressed unusually strongly (more than %(ratio)s to "
         "1) and is refused as a possible zip bomb")
UNREADABLE = ("The file could not be read as an Excel workbook; it may be "
              "damaged. Please open it in Excel, save it as .xlsx and try "
              "again")
TOO_MANY_ROWS = "The sheet has more than %(max)s rows below the header"
TOO_MANY_COLUMNS = "The sheet has more than %(max)s columns"
NO_HEADER = ("No header row with a customer number or name column was found "
             "in the first %(rows)s rows")
UNMAPPED = ("Column %(column)s (%(header)s) is not mapped to an input field "
            "and is ignored")
NO_DEALER = "Row %(row)s: no dealer with customer number %(ref)s / name %(name)s"
NOT_A_NUMBER = "Please enter a number, not '%(value)s'"
NEGATIVE = "%(label)s must not be negative"

INPUTS = [
    {'code': 'revenue', 'name': 'Umsatz (€)'},
    {'code': 'sales_area', 'name': 'Verkaufsfläche [m²]'},
    {'code': 'result', 'name': 'Betriebsergebnis'},
    {'code': 'staff', 'name': 'Mitarbeiter'},
]
SPECS = {
    'revenue': {'code': 'revenue', 'label': 'Umsatz'},
    'sales_area': {'code': 'sales_area', 'label': 'Verkaufsfläche'},
    'result': {'code': 'result', 'label': 'Betriebsergebnis',
               'allow_negative': True},
    'staff': {'code': 'staff', 'label': 'Mitarbeiter', 'max_value': 5000},
}
DEALERS = [
    {'ref': 10001, 'name': 'Landtechnik Alpha GmbH'},
    {'ref': '10002', 'name': 'Beta Agrar KG'},
    {'ref': 10003, 'name': 'Gamma Maschinen'},
]
VALUES = {
    10001: {'revenue': 4250000.0, 'sales_area': 1200, 'result': -35000.5,
            'staff': 23},
    '10002': {'revenue': 1830000.25, 'sales_area': 650, 'result': 48000,
              'staff': 9},
    10003: {'revenue': 2900000, 'result': 12000.75, 'staff': 14},
}
DEALER_IDS = {'10001': 1, '10002': 2, '10003': 3}
SAMPLE = make_sample_workbook(DEALERS, INPUTS, VALUES, 2019)


def find_dealer(ref, name):
    return DEALER_IDS.get(ref)


def codes(problems):
    return [(problem.row, problem.column, problem.message.template)
            for problem in problems]


def zip_of(parts, compression=zipfile.ZIP_DEFLATED):
    output = io.BytesIO()
    with zipfile.ZipFile(output, 'w', compression) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return output.getvalue()


WORKBOOK_PARTS = {'[Content_Types].xml': '<Types/>',
                  'xl/workbook.xml': '<workbook/>'}


def refused(template, call, *args, **kwargs):
    """Run ``call``; assert it raises QuestionnaireError with ``template``."""
    start = time.monotonic()
    with pytest.raises(QuestionnaireError) as info:
        call(*args, **kwargs)
    assert info.value.template == template
    assert time.monotonic() - start < 5
    return info.value


def test_round_trip_of_a_good_file():
    data = make_sample_workbook(DEALERS, INPUTS, VALUES, 2019)
    headers, rows = read_rows(data)
    assert headers == ['Kundennummer', 'Firma', 'Umsatz (€)',
                       'Verkaufsfläche [m²]', 'Betriebsergebnis',
                       'Mitarbeiter']
    assert [row for row, _values in rows] == [3, 4, 5]
    mapping = suggest_mapping(headers, INPUTS)
    assert mapping == {'ref_column': 0, 'name_column': 1, 'columns': {
        2: 'revenue', 3: 'sales_area', 4: 'result', 5: 'staff'}}
    plan = parse(data, mapping, find_dealer, SPECS)
    assert plan.problems == [] and plan.unknown_columns == []
    assert plan.ok
    assert plan.rows_to_apply() == [
        {'row': 3, 'dealer_id': 1, 'values': {
            'revenue': 4250000.0, 'sales_area': 1200.0, 'result': -35000.5,
            'staff': 23.0}},
        {'row': 4, 'dealer_id': 2, 'values': {
            'revenue': 1830000.25, 'sales_area': 650.0, 'result': 48000.0,
            'staff': 9.0}},
        # The empty area cell gives no value at all, not 0.
        {'row': 5, 'dealer_id': 3, 'values': {
            'revenue': 2900000.0, 'result': 12000.75, 'staff': 14.0}},
    ]


def test_mapping_survives_json_keys():
    data = make_sample_workbook(DEALERS, INPUTS, VALUES, 2019)
    mapping = suggest_mapping(read_rows(data)[0], INPUTS)
    mapping['columns'] = {str(key): code
                          for key, code in mapping['columns'].items()}
    plan = parse(data, mapping, find_dealer, SPECS)
    assert plan.ok and len(plan.rows) == 3


def test_file_with_errors_lists_every_problem():
    inputs = INPUTS + [{'code': 'remark', 'name': 'Bemerkung'}]
    values = {
        10001: {'revenue': 100.0, 'staff': 3, 'remark': 'ok'},
        '10002': {'revenue': 'abc', 'staff': 4},
        10003: {'sales_area': -20, 'staff': 2},
    }
    dealers = DEALERS + [{'ref': 99999, 'name': 'Unbekannt GmbH'}]
    data = make_sample_workbook(dealers, inputs, values, 2019)
    mapping = suggest_mapping(read_rows(data)[0], INPUTS)
    assert mapping['columns'][6] is None
    plan = parse(data, mapping, find_dealer, SPECS)
    assert codes(plan.problems) == [
        (4, 'C', NOT_A_NUMBER),
        (5, 'D', NEGATIVE),
        (6, 'A', NO_DEALER),
    ]
    # An extra column is ignored, and said so; it does not block the file.
    assert codes(plan.notices) == [(None, 'G', UNMAPPED)]
    assert plan.notices[0].message.params == {'column': 'G',
                                              'header': 'Bemerkung'}
    assert plan.problems[0].message.params == {'value': 'abc'}
    assert plan.problems[1].message.params == {'label': 'Verkaufsfläche'}
    assert plan.problems[2].message.params == {
        'row': 6, 'ref': '99999', 'name': 'Unbekannt GmbH'}
    assert plan.unknown_columns == ['Bemerkung']
    assert not plan.ok
    # Only the row without a problem of its own is in the preview ...
    assert [row['row'] for row in plan.rows] == [3]
    # ... and nothing may be applied.
    error = refused("The file has %(count)s problems; nothing was imported",
                    plan.rows_to_apply)
    assert error.params == {'count': 3}


def test_text_numbers_in_cells():
    values = {10001: {'revenue': '1.234,5', 'staff': ' 12 '},
              '10002': {'revenue': '2.000.000', 'result': '-1.500,25'}}
    data = make_sample_workbook(DEALERS[:2], INPUTS, values, 2019)
    mapping = suggest_mapping(read_rows(data)[0], INPUTS)
    plan = parse(data, mapping, find_dealer, SPECS)
    assert plan.ok
    assert [row['values'] for row in plan.rows] == [
        {'revenue': 1234.5, 'staff': 12.0},
        {'revenue': 2000000.0, 'result': -1500.25}]
    english = make_sample_workbook(
        DEALERS[:1], INPUTS, {10001: {'revenue': '1,234.5'}}, 2019, lang='en')
    headers = read_rows(english)[0]
    assert headers[:2] == ['Customer number', 'Dealer']
    plan = parse(english, suggest_mapping(headers, INPUTS), find_dealer,
                 SPECS, decimal_point='.', thousands_sep=',')
    assert plan.rows[0]['values'] == {'revenue': 1234.5}


def test_too_large_value_and_duplicate_dealer():
    dealers = DEALERS[:2] + [{'ref': '10001', 'name': 'Alpha again'}]
    values = {10001: {'staff': 6000}, '10002': {'staff': 5}}
    data = make_sample_workbook(dealers, INPUTS, values, 2019)
    plan = parse(data, suggest_mapping(read_rows(data)[0], INPUTS),
                 find_dealer, SPECS)
    assert codes(plan.problems) == [
        (3, 'F', "%(label)s must be at most %(max)s"),
        (5, None, "Row %(row)s: the dealer %(dealer)s already appears in "
                  "row %(first)s"),
    ]
    assert plan.problems[1].message.params == {'row': 5, 'dealer': '10001',
                                               'first': 3}


def test_dealer_found_by_name_when_there_is_no_number():
    values = {10001: {'revenue': 10.0}}
    data = make_sample_workbook(DEALERS[:1], INPUTS, values, 2019)
    mapping = suggest_mapping(read_rows(data)[0], INPUTS)
    mapping['ref_column'] = None
    mapping['columns'][0] = None
    calls = []

    def by_name(ref, name):
        calls.append((ref, name))
        return 7

    plan = parse(data, mapping, by_name, SPECS)
    assert calls == [(None, 'Landtechnik Alpha GmbH')]
    # Column A is now an unmapped column with content: ignored, said so.
    assert plan.ok
    assert codes(plan.notices) == [(None, 'A', UNMAPPED)]


def test_uncalculated_formula_is_a_problem():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(['Betriebsvergleich 2019'])
    sheet.append(['Kundennummer', 'Firma', 'Umsatz (€)', 'Mitarbeiter'])
    sheet.append([10001, 'Alpha', '=1000*2', 5])
    output = io.BytesIO()
    workbook.save(output)
    data = output.getvalue()
    mapping = suggest_mapping(read_rows(data)[0], INPUTS)
    plan = parse(data, mapping, find_dealer, SPECS)
    assert codes(plan.problems) == [(
        3, 'C', "The formula has no calculated value; please open and save "
                "the file in Excel")]


def test_missing_key_columns_and_empty_file_are_problems():
    data = make_sample_workbook([], INPUTS, {}, 2019)
    plan = parse(data, {'ref_column': None, 'name_column': None,
                        'columns': {2: 'revenue', 3: 'nonsense'}},
                 find_dealer, SPECS)
    assert codes(plan.problems) == [
        (None, None, "No column with the customer number or the dealer name "
                     "is selected"),
        (None, 'D', "Column %(column)s is mapped to the unknown input field "
                    "%(code)s"),
        (None, None, "The file contains no dealer rows"),
    ]
    assert codes(plan.notices) == [
        (None, 'A', UNMAPPED), (None, 'B', UNMAPPED), (None, 'E', UNMAPPED),
        (None, 'F', UNMAPPED)]


@pytest.mark.parametrize('header, inputs, expected', [
    ('  UMSATZ   ( € ) ', INPUTS, 'revenue'),
    ('Verkaufsfläche', INPUTS, 'sales_area'),
    ('verkaufsfläche (qm)', INPUTS, 'sales_area'),
    ('staff', INPUTS, 'staff'),
    ('Mitarbeiter:', INPUTS, 'staff'),
    ('Mitarbeiterinnen', INPUTS, None),
    ('Umsatz (netto) (€)', [{'code': 'net', 'name': 'Umsatz (netto)'},
                            {'code': 'gross', 'name': 'Umsatz (brutto)'}],
     'net'),
    ('Umsatz (€)', [{'code': 'net', 'name': 'Umsatz (netto)'},
                    {'code': 'gross', 'name': 'Umsatz (brutto)'}], None),
])
def test_suggest_mapping_of_one_header(header, inputs, expected):
    mapping = suggest_mapping(['Kd.-Nr.', header], inputs)
    assert mapping == {'ref_column': 0, 'name_column': None,
                       'columns': {1: expected}}


def test_suggest_mapping_recognises_key_columns_and_duplicates():
    headers = ['Händler', '', 'KUNDEN - NR', 'Umsatz', 'umsatz (€)',
               'Firma']
    assert suggest_mapping(headers, INPUTS) == {
        'ref_column': 2, 'name_column': 0,
        # A code goes to the first matching column; the second name column
        # is an ordinary (unmapped) column.
        'columns': {1: None, 3: 'revenue', 4: None, 5: None}}
    assert suggest_mapping(['Customer  Number', 'Dealer'], [])['ref_column'] == 0


def test_refused_files():
    refused(EMPTY, check_file, b'')
    refused(NOT_XLSX, check_file, b'Kundennummer;Umsatz\n10001;5\n')
    refused(LEGACY, check_file, b'\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1' + b'\0' * 512)
    refused(NOT_XLSX, check_file, b'PK\x03\x04 truncated zip')
    refused(NOT_XLSX, check_file, zip_of({'word/document.xml': '<w/>'}))
    macro = zip_of(dict(WORKBOOK_PARTS, **{'xl/vbaProject.bin': b'\0' * 100}))
    refused(MACRO, check_file, macro)
    error = refused(TOO_LARGE, check_file, b'PK\x03\x04' + b'\0' * MB,
                    max_bytes=MB // 2)
    assert error.params == {'limit': 0.5}
    many = zip_of(dict(WORKBOOK_PARTS, **{'p%d' % index: ''
                                          for index in range(1001)}))
    refused(NOT_XLSX, check_file, many)
    # The same checks guard read_rows.
    refused(LEGACY, read_rows, b'\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1' + b'\0' * 512)
    refused(EMPTY, read_rows, b'')


def test_zip_bomb_is_refused_before_unpacking():
    bomb = zip_of(dict(WORKBOOK_PARTS, **{
        'xl/worksheets/sheet1.xml': b'\0' * (20 * MB)}))
    assert len(bomb) < 100 * 1024
    error = refused(UNPACKS, check_file, bomb, max_uncompressed=5 * MB)
    assert error.params == {'limit': 5.0}
    assert str(error) == 'The file unpacks to more than 5 MB'
    # Under the size limit, the compression ratio still gives it away.
    small_bomb = zip_of(dict(WORKBOOK_PARTS, **{
        'xl/worksheets/sheet1.xml': b'\0' * (3 * MB)}))
    error = refused(RATIO, check_file, small_bomb, max_uncompressed=5 * MB)
    assert error.params == {'ratio': 100}
    check_file(small_bomb, max_uncompressed=5 * MB, max_ratio=10000)


def test_understated_sizes_do_not_unpack_more():
    with zipfile.ZipFile(io.BytesIO(SAMPLE)) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    name = 'xl/worksheets/sheet1.xml'
    # Trailing whitespace after the root element is still well-formed XML.
    parts[name] += b' ' * (20 * MB)
    bomb = bytearray(zip_of(parts))
    with zipfile.ZipFile(io.BytesIO(bytes(bomb))) as archive:
        offset = archive.getinfo(name).header_offset
    directory = bomb.find(b'PK\x01\x02')
    while bomb[directory + 46:directory + 46 + len(name)] != name.encode():
        directory = bomb.find(b'PK\x01\x02', directory + 1)
    # Declare 5000 bytes in the local header and in the central directory.
    struct.pack_into('<I', bomb, offset + 22, 5000)
    struct.pack_into('<I', bomb, directory + 24, 5000)
    check_file(bytes(bomb))
    tracemalloc.start()
    try:
        refused(UNREADABLE, read_rows, bytes(bomb))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * MB


def test_too_many_rows_and_columns():
    dealers = [{'ref': index, 'name': 'Dealer %d' % index}
               for index in range(30)]
    data = make_sample_workbook(dealers, INPUTS, {}, 2019)
    error = refused(TOO_MANY_ROWS, read_rows, data, max_rows=20)
    assert error.params == {'max': 20}
    assert len(read_rows(data, max_rows=30)[1]) == 30
    refused(TOO_MANY_COLUMNS, read_rows, data, max_columns=5)
    assert len(read_rows(data, max_columns=6)[0]) == 6


def test_no_header_row_and_unknown_sheet():
    workbook = openpyxl.Workbook()
    for number in range(25):
        workbook.active.append(['filler %d' % number])
    workbook.active.append(['Kundennummer', 'Firma'])
    output = io.BytesIO()
    workbook.save(output)
    refused(NO_HEADER, read_rows, output.getvalue())
    data = make_sample_workbook(DEALERS, INPUTS, VALUES, 2019)
    assert read_rows(data, sheet_name='2019')[0][0] == 'Kundennummer'
    refused("The workbook has no sheet named '%(sheet)s'", read_rows, data,
            sheet_name='2020')


def test_entity_expansion_is_refused():
    laughs = ''.join('<!ENTITY l%d "&l%d;&l%d;&l%d;&l%d;&l%d;">' % (
        level, level - 1, level - 1, level - 1, level - 1, level - 1)
        for level in range(1, 12))
    shared = ('<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY l0 "lol">%s]>'
              '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
              '2006/main"><si><t>&l11;</t></si></sst>' % laughs)
    data = make_sample_workbook(DEALERS, INPUTS, VALUES, 2019)
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts['xl/sharedStrings.xml'] = shared
    refused(UNREADABLE, read_rows, zip_of(parts))


def test_problem_is_a_plain_tuple():
    problem = Problem(3, 'C', QuestionnaireError(NOT_A_NUMBER, value='x'))
    assert problem.row == 3 and problem.column == 'C'
    assert str(problem.message) == "Please enter a number, not 'x'"


FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.one_of(
    st.binary(max_size=2000),
    st.binary(max_size=200).map(lambda tail: b'PK\x03\x04' + tail),
    st.binary(max_size=200).map(lambda tail: b'\xd0\xcf\x11\xe0' + tail),
))
def test_random_bytes_only_raise_questionnaire_errors(data):
    for call in (check_file, read_rows):
        try:
            call(data)
        except QuestionnaireError:
            pass


def _member_ranges(data):
    """(start, end) of each zip member's compressed bytes in ``data``."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
    ranges = []
    for info in infos:
        name_length, extra_length = struct.unpack_from(
            '<HH', data, info.header_offset + 26)
        start = info.header_offset + 30 + name_length + extra_length
        ranges.append((start, start + info.compress_size))
    return ranges


# Big enough that openpyxl reads the sheet in several chunks, so damage
# also surfaces while rows are read, not only when the workbook is opened.
BIG_SAMPLE = make_sample_workbook(
    [{'ref': index, 'name': 'Dealer %d' % index} for index in range(150)],
    [{'code': 'c%d' % index, 'name': 'Feld %d' % index} for index in range(20)],
    {index: {'c%d' % column: index * column * 1.37 for column in range(20)}
     for index in range(150)}, 2019)
MEMBER_RANGES = _member_ranges(BIG_SAMPLE)


@FUZZ
@given(st.data())
def test_damaged_workbooks_only_raise_questionnaire_errors(data):
    damaged = bytearray(BIG_SAMPLE)
    # Damage the inside of one part, where openpyxl rather than the zip
    # directory check meets it, or anywhere at all.
    start, end = data.draw(st.sampled_from(
        MEMBER_RANGES + [(0, len(BIG_SAMPLE))]))
    for _change in range(data.draw(st.integers(1, 4))):
        damaged[data.draw(st.integers(start, end - 1))] = data.draw(
            st.integers(0, 255))
    try:
        headers, rows = read_rows(bytes(damaged))
    except QuestionnaireError:
        return
    assert len(rows) <= 150 and isinstance(headers, list)


def test_import_and_form_share_one_bound_and_precision():
    """Reviewer: a numeric cell 1e308 was imported as revenue (the form
    refuses it), and 0,0000000000000001 was accepted as a revenue."""
    values = {10001: {'revenue': 1e308}, '10002': {'revenue': 1e-16},
              10003: {'revenue': 1234.5}}
    data = make_sample_workbook(DEALERS, INPUTS, values, 2019)
    plan = parse(data, suggest_mapping(read_rows(data)[0], INPUTS),
                 find_dealer, SPECS)
    assert codes(plan.problems) == [
        (3, 'C', "%(label)s is too large: at most %(max)s digits before the "
                 "decimal separator"),
        (4, 'C', "%(label)s has too many decimals: at most %(max)s"),
    ]
