"""Property-based tests of the questionnaire import: all or nothing."""
from hypothesis import given, settings, strategies as st

from ..lib.numbers import NumberError, parse_number
from ..lib.questionnaire import (
    QuestionnaireError, check_file, make_sample_workbook, parse,
    suggest_mapping,
)
from .prop_common import NASTY_TEXT, assert_clear_error

INPUTS = [{'code': 'revenue', 'name': 'Umsatz (€)'},
          {'code': 'result', 'name': 'Betriebsergebnis'},
          {'code': 'staff', 'name': 'Mitarbeiter'}]
SPECS = {'revenue': {'code': 'revenue', 'label': 'Umsatz'},
         'result': {'code': 'result', 'label': 'Ergebnis',
                    'allow_negative': True},
         'staff': {'code': 'staff', 'label': 'Mitarbeiter', 'max_value': 5000}}
KNOWN = {'100%d' % number: number for number in range(1, 8)}
CELLS = st.one_of(
    # Cents: xlsxwriter stores 16 significant digits, enough for these.
    st.none(), st.integers(-10 ** 8, 10 ** 9).map(lambda n: n / 100),
    st.integers(-10, 6000),
    st.sampled_from(['1.234,5', '12', ' 7 ', 'abc', '=1+1', '=HYPERLINK("x")',
                     "=cmd|' /C calc'!A0", '<script>x</script>', '1e5', '',
                     '-0', '1.2.3']),
    NASTY_TEXT,
)
ROWS = st.lists(st.tuples(
    st.one_of(st.sampled_from(sorted(KNOWN)), st.just('X-404'), st.just(''),
              st.integers(1001, 1009)),
    st.fixed_dictionaries({field['code']: CELLS for field in INPUTS})),
    max_size=8)


def expected_number(cell):
    """The number a cell stands for, or None when blank, or 'bad'."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, str):
        try:
            return parse_number(cell)
        except NumberError:
            return 'bad'
    return float(cell)


def find_dealer(ref, name):
    return KNOWN.get(ref)


# Each example writes and reads a workbook: fewer keep the suite quick.
@settings(max_examples=100)
@given(ROWS)
def test_import_is_all_or_nothing(rows):
    dealers = [{'ref': ref, 'name': 'Dealer %d' % index}
               for index, (ref, _values) in enumerate(rows)]
    values = {ref: cells for ref, cells in rows}
    data = make_sample_workbook(dealers, INPUTS, values, 2020)
    mapping = suggest_mapping(
        ['Kundennummer', 'Firma'] + [field['name'] for field in INPUTS],
        INPUTS)
    # Dealers are found by number only; a name alone finds nobody.
    plan = parse(data, mapping, find_dealer, SPECS)
    for problem in plan.problems:
        assert_clear_error(problem.message)
    if not plan.ok:
        try:
            plan.rows_to_apply()
        except QuestionnaireError as error:
            assert_clear_error(error, QuestionnaireError)
            assert error.params == {'count': len(plan.problems)}
        else:
            raise AssertionError('a plan with problems must apply nothing')
        problem_rows = {problem.row for problem in plan.problems}
        assert not problem_rows & {row['row'] for row in plan.rows}
        return
    applied = plan.rows_to_apply()
    # A clean plan covers every dealer row of the file with every value.
    assert len(applied) == len(rows) > 0
    for row, (ref, cells) in zip(applied, rows):
        assert row['dealer_id'] == KNOWN[str(ref)]
        for code, cell in cells.items():
            assert row['values'].get(code) == expected_number(cell)


@given(st.lists(st.one_of(NASTY_TEXT, st.none(), st.integers()), max_size=12),
       st.lists(st.fixed_dictionaries({'code': NASTY_TEXT,
                                       'name': NASTY_TEXT}), max_size=6))
def test_any_headers_give_a_mapping(headers, inputs):
    mapping = suggest_mapping(headers, inputs)
    codes = [code for code in mapping['columns'].values() if code]
    assert len(codes) == len(set(codes)), 'each input in one column at most'
    assert set(codes) <= {field['code'] for field in inputs}


@given(st.binary(max_size=64).map(lambda tail: b'PK\x05\x06' + tail))
def test_bare_zip_end_records_are_refused_clearly(data):
    try:
        check_file(data)
    except QuestionnaireError as error:
        assert_clear_error(error, QuestionnaireError)
    else:
        raise AssertionError('no workbook accepted')
