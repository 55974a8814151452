"""Import of the historical Excel questionnaires (one row per dealer).

Uploads are untrusted: :func:`check_file` inspects the zip container before
openpyxl parses anything, and every read is bounded in rows and columns.

The import is all-or-nothing: :func:`parse` returns an :class:`ImportPlan`
listing every problem of the file, and the caller stores values only when
``plan.ok`` is True (``plan.rows_to_apply()`` enforces that). A file with a
single problem imports nothing, so a corrected file can simply be uploaded
again.
"""
import collections
import io
import re
import struct
import unicodedata
import zipfile

import xlsxwriter
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from .errors import PrmError, _
from .numbers import MAX_SIGNIFICANT_DIGITS, NumberError, parse_number
from .plausibility import validate_value
from .xlsx_export import write_text

MB = 1024 * 1024
MAX_BYTES = 10 * MB
MAX_UNCOMPRESSED = 100 * MB
MAX_RATIO = 100
# Small files cannot do harm however well they compress; a workbook's tiny
# styles or a sheet of blank cells often compresses far beyond 100:1.
RATIO_MIN_BYTES = 1 * MB
# A workbook has a few dozen parts; millions of tiny entries would make the
# zip directory itself the attack.
MAX_PARTS = 1000
MAX_ROWS = 20000
MAX_COLUMNS = 500
HEADER_SEARCH_ROWS = 20

ZIP_SIGNATURE = b'PK\x03\x04'
END_OF_DIRECTORY = b'PK\x05\x06'
# Old .xls files and password-protected .xlsx files are OLE compound files.
OLE_SIGNATURE = b'\xd0\xcf\x11\xe0'
REQUIRED_PARTS = ('[Content_Types].xml', 'xl/workbook.xml')

# Header texts compared without case and whitespace, trailing '.'/':' removed.
REF_HEADERS = frozenset((
    'customernumber', 'customerno', 'kundennummer', 'kunden-nr',
    'kunden-nummer', 'kd.-nr', 'kd-nr', 'kd.nr', 'kdnr',
))
NAME_HEADERS = frozenset((
    'name', 'firma', 'händler', 'haendler', 'dealer', 'dealername',
    'company', 'firmenname',
))
TRAILING_BRACKETS = re.compile(r'\s*[(\[][^()\[\]]*[)\]]$')

SAMPLE_LABELS = {
    'de': ('Betriebsvergleich %s', 'Kundennummer', 'Firma'),
    'en': ('Inter-firm comparison %s', 'Customer number', 'Dealer'),
}

NOT_A_NUMBER = _("Please enter a number, not '%(value)s'")

# <calcPr fullCalcOnLoad="1"/>: the program that wrote the workbook asks the
# next one to calculate every formula, i.e. the stored results are not
# calculated ones (XlsxWriter stores 0, openpyxl and pandas nothing).
CALC_ON_LOAD = re.compile(
    rb'<(?:\w+:)?calcPr\b[^>]*\bfullCalcOnLoad\s*=\s*["\'](?:1|true)["\']')
# From this many formulas on, results that are all 0 are not believed either.
ALL_ZERO_MIN_FORMULAS = 3
# Parts of a number format that are no format codes: "quoted text",
# \x escaped characters, [colours/conditions/locales], _x spacing, *x fill.
FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')


class QuestionnaireError(PrmError):
    """The uploaded questionnaire cannot be read or imported."""


Problem = collections.namedtuple('Problem', 'row column message')
Problem.__doc__ = """One problem of an import.

``row`` is the Excel row number and ``column`` the Excel column letter, each
None when the problem is not about one row or column; ``message`` is a
PrmError with the untranslated template and its parameters.
"""

_Sheet = collections.namedtuple('_Sheet', 'title header_row headers rows')


class ImportPlan(object):
    """Outcome of :func:`parse`: the rows to store and the problems found.

    ``rows`` holds the rows that had no problem of their own (for a
    preview); they may be stored only when ``ok``, i.e. when the whole file
    is free of problems. ``notices`` are Problems that do not block the
    import (columns that are ignored).
    """

    def __init__(self):
        self.rows = []
        self.problems = []
        self.unknown_columns = []
        # Problem tuples that do not stop the import (ignored columns).
        self.notices = []

    @property
    def ok(self):
        return not self.problems

    def rows_to_apply(self):
        """The rows to store; raises QuestionnaireError unless ``ok``."""
        if len(self.problems) == 1:
            raise QuestionnaireError(
                _("The file has %(count)s problem; nothing was imported"),
                count=1)
        if not self.ok:
            raise QuestionnaireError(
                _("The file has %(count)s problems; nothing was imported"),
                count=len(self.problems))
        return self.rows


def _megabytes(size):
    # Three significant digits (10, 0.5, 2.25), as a float: the Odoo layer
    # writes it in the reader's number format ("0,5" in German).
    return float('%.3g' % (size / MB))


def _not_xlsx():
    return QuestionnaireError(_("The file is not an Excel workbook (.xlsx)"))


def _unreadable():
    return QuestionnaireError(
        _("The file could not be read as an Excel workbook; it may be "
          "damaged. Please open it in Excel, save it as .xlsx and try again"))


def _declared_part_count(data):
    """Number of entries announced by the zip's end record, or None."""
    position = data.rfind(END_OF_DIRECTORY, max(0, len(data) - 65557))
    if position < 0 or position + 22 > len(data):
        return None
    return struct.unpack('<H', data[position + 10:position + 12])[0]


def check_file(data, max_bytes=MAX_BYTES, max_uncompressed=MAX_UNCOMPRESSED,
               max_ratio=MAX_RATIO):
    """Raise QuestionnaireError unless ``data`` is a plausible, safe .xlsx.

    Only the zip directory is read; nothing is decompressed. The declared
    sizes can be trusted for the later reading because Python's zipfile
    never returns more than the declared size of a part.
    """
    if not data:
        raise QuestionnaireError(_("The file is empty"))
    if len(data) > max_bytes:
        raise QuestionnaireError(_("The file is larger than %(limit)s MB"),
                                 limit=_megabytes(max_bytes))
    if data.startswith(OLE_SIGNATURE):
        raise QuestionnaireError(
            _("This is an old Excel file (.xls) or a password-protected "
              "workbook. Please open it in Excel, save it as \"Excel "
              "Workbook (.xlsx)\" without a password and upload it again"))
    if not data.startswith(ZIP_SIGNATURE):
        raise _not_xlsx()
    declared = _declared_part_count(data)
    if declared is not None and MAX_PARTS < declared < 0xFFFF:
        raise _not_xlsx()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except Exception:
        # Whatever the zip module trips over, the upload is no workbook.
        raise _not_xlsx()
    names = {info.filename for info in infos}
    if len(infos) > MAX_PARTS or any(part not in names
                                     for part in REQUIRED_PARTS):
        raise _not_xlsx()
    if any(name.lower().endswith('vbaproject.bin') for name in names):
        raise QuestionnaireError(
            _("Workbooks with macros are not accepted. Please save the file "
              "as \"Excel Workbook (.xlsx)\" and upload it again"))
    uncompressed = sum(info.file_size for info in infos)
    if uncompressed > max_uncompressed:
        raise QuestionnaireError(_("The file unpacks to more than %(limit)s MB"),
                                 limit=_megabytes(max_uncompressed))
    compressed = sum(info.compress_size for info in infos)
    if (uncompressed > RATIO_MIN_BYTES
            and uncompressed > max_ratio * max(compressed, 1)):
        raise QuestionnaireError(
            _("The file is compressed unusually strongly (more than "
              "%(ratio)s to 1) and is refused as a possible zip bomb"),
            ratio=max_ratio)


def _compact(value):
    """Header text without case, whitespace and trailing '.' or ':'."""
    if not isinstance(value, str):
        return ''
    text = unicodedata.normalize('NFKC', value).casefold()
    return ''.join(text.split()).rstrip('.:')


def is_ref_header(value):
    """True if ``value`` is a customer-number column header."""
    return _compact(value) in REF_HEADERS


def is_name_header(value):
    """True if ``value`` is a dealer-name column header."""
    return _compact(value) in NAME_HEADERS


def _is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _is_blank_row(values):
    # count() runs in C: blank rows are by far the most common rows to skip.
    return values.count(None) == len(values) or all(
        _is_blank(value) for value in values)


def _trimmed(values):
    end = len(values)
    while end and _is_blank(values[end - 1]):
        end -= 1
    return list(values[:end])


def _header_kind(values):
    """2 for a row with a customer-number header, 1 for a name header."""
    if any(is_ref_header(value) for value in values):
        return 2
    return 1 if any(is_name_header(value) for value in values) else 0


def _choose_header(candidates):
    """Index of the header among the first rows: a customer-number header
    wins over a name header above it (a "Dealer" group heading over the
    real header row, as in our own network export)."""
    kinds = [_header_kind(values) for _number, values in candidates]
    best = max(kinds, default=0)
    return kinds.index(best) if best else None


def _scan_sheet(sheet, max_rows, max_columns):
    """Return a _Sheet, or None when no header row is found."""
    # Dimensions written by other programs can be wrong (too small would
    # lose rows); without them openpyxl reads what is really there.
    sheet.reset_dimensions()
    header_row, headers, rows, width = None, None, [], 0
    leading = []  # the non-blank rows among the first HEADER_SEARCH_ROWS
    for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
        if header_row is None and number > HEADER_SEARCH_ROWS:
            header_row, headers, rows = _header_of(leading)
            if header_row is None:
                return None
            width = max([len(values) for _n, values in rows] or [0])
        if _is_blank_row(values):
            continue
        values = _trimmed(values)
        if len(values) > max_columns:
            raise QuestionnaireError(
                _("The sheet has more than %(max)s columns"), max=max_columns)
        if header_row is None:
            leading.append((number, values))
            continue
        if len(rows) >= max_rows:
            raise QuestionnaireError(
                _("The sheet has more than %(max)s rows below the header"),
                max=max_rows)
        rows.append((number, values))
        width = max(width, len(values))
    if header_row is None:
        header_row, headers, rows = _header_of(leading)
        if header_row is None:
            return None
        width = max([len(values) for _n, values in rows] or [0])
        if len(rows) > max_rows:
            raise QuestionnaireError(
                _("The sheet has more than %(max)s rows below the header"),
                max=max_rows)
    headers = ['' if value is None else str(value).strip()
               for value in headers]
    headers += [''] * (width - len(headers))
    return _Sheet(sheet.title, header_row, headers, rows)


def _header_of(leading):
    """(header row number, header values, rows below) or (None, None, [])."""
    index = _choose_header(leading)
    if index is None:
        return None, None, []
    number, headers = leading[index]
    return number, headers, leading[index + 1:]


def _read_sheet(data, sheet_name, max_rows, max_columns):
    check_file(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True,
                                 data_only=True)
    except Exception:
        # openpyxl raises anything from KeyError to XML errors on bad input.
        raise _unreadable()
    try:
        sheets = workbook.worksheets
        if sheet_name is not None:
            sheets = [sheet for sheet in sheets if sheet.title == sheet_name]
            if not sheets:
                raise QuestionnaireError(
                    _("The workbook has no sheet named '%(sheet)s'"),
                    sheet=sheet_name)
        for sheet in sheets:
            found = _scan_sheet(sheet, max_rows, max_columns)
            if found:
                return found
        raise QuestionnaireError(
            _("No header row with a customer number or name column was found "
              "in the first %(rows)s rows"), rows=HEADER_SEARCH_ROWS)
    except QuestionnaireError:
        raise
    except Exception:
        raise _unreadable()
    finally:
        workbook.close()


def read_rows(data, sheet_name=None, max_rows=MAX_ROWS,
              max_columns=MAX_COLUMNS):
    """Return (headers, rows) of a questionnaire after :func:`check_file`.

    The header row is the first of the first HEADER_SEARCH_ROWS rows with a
    customer-number or name header; by default the first sheet that has
    one is read. ``headers`` are strings ('' for empty cells), ``rows`` a
    list of (Excel row number, cell values) of the non-blank rows below it,
    without trailing blank cells. Raises QuestionnaireError.
    """
    sheet = _read_sheet(data, sheet_name, max_rows, max_columns)
    return sheet.headers, sheet.rows


def normalize_header(text):
    """Casefolded ``text`` with whitespace collapsed and trailing ':' removed."""
    text = unicodedata.normalize('NFKC', str(text)).casefold()
    return ' '.join(text.split()).rstrip(':*').rstrip()


def _header_forms(text):
    """``text`` normalized, then with trailing "(€)", "[m²]" removed one by one.

    Most specific first, so "Umsatz (netto) (€)" matches the label
    "Umsatz (netto)" before the less specific "Umsatz".
    """
    text = normalize_header(text)
    forms = [text] if text else []
    while True:
        match = TRAILING_BRACKETS.search(text)
        if not match or not text[:match.start()].strip():
            return forms
        text = text[:match.start()].rstrip()
        forms.append(text)


def _match_input(header, exact, loose):
    """The code ``header`` stands for, or None if none or ambiguous."""
    forms = _header_forms(header)
    for index in (exact, loose):
        for form in forms:
            codes = index.get(form)
            if codes:
                return codes[0] if len(codes) == 1 else None
    return None


def suggest_mapping(headers, inputs):
    """Guess which column holds what; the user confirms it before parse().

    ``inputs`` is a list of {"code", "name"}. Returns {"ref_column": index
    or None, "name_column": index or None, "columns": {index: code or
    None}} with 0-based column indexes. A header matches an input when,
    normalized (case, whitespace, trailing units in brackets), it equals the
    code or the label. Each code is given to its first matching column only.
    """
    exact, loose = {}, {}
    for field in inputs:
        exact.setdefault(normalize_header(field['code']), []).append(
            field['code'])
        label_forms = _header_forms(field['name'])
        if label_forms:
            exact.setdefault(label_forms[0], []).append(field['code'])
        for form in label_forms[1:]:
            loose.setdefault(form, []).append(field['code'])
    for index in (exact, loose):
        for form, codes in index.items():
            index[form] = sorted(set(codes))
    mapping = {'ref_column': None, 'name_column': None, 'columns': {}}
    taken = set()
    for column, header in enumerate(headers):
        if mapping['ref_column'] is None and is_ref_header(header):
            mapping['ref_column'] = column
            continue
        if mapping['name_column'] is None and is_name_header(header):
            mapping['name_column'] = column
            continue
        code = _match_input(header, exact, loose) if header else None
        if code in taken:
            code = None
        taken.add(code)
        mapping['columns'][column] = code
    return mapping


def _letter(column):
    return get_column_letter(column + 1)


def _key_text(value):
    """Customer number or name cell as text; None when empty."""
    if _is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        # Customer numbers typed as numbers come back as 10023.0.
        return str(int(value))
    return str(value).strip()


def _as_shown(value):
    """A float with at most 15 significant digits, as a spreadsheet shows it.

    Excel calculates with 15 digits and stores results such as 0.1 + 0.2 as
    0.30000000000000004; the dealer saw 0,3.
    """
    return float('%.*g' % (MAX_SIGNIFICANT_DIGITS, value))


def is_percent_format(number_format):
    """True if an Excel number format shows its value times 100 with "%".

    A quoted or escaped "%" (``0.0 "%"``, ``0\\%``) is literal text and
    does not scale. Only the first section (positive numbers) is looked at.
    """
    if not isinstance(number_format, str):
        return False
    section = FORMAT_LITERALS.sub('', number_format).split(';')[0]
    return '%' in section


def _cell_number(value, decimal_point, thousands_sep):
    """Return (number, error) for a non-blank cell value."""
    if isinstance(value, bool):
        return None, QuestionnaireError(NOT_A_NUMBER, value=str(value))
    if isinstance(value, (int, float)):
        return _as_shown(value), None
    if isinstance(value, str):
        try:
            return parse_number(value, decimal_point, thousands_sep), None
        except NumberError as error:
            return None, error
    # Dates, times and anything else openpyxl may hand out.
    return None, QuestionnaireError(NOT_A_NUMBER, value=str(value))


def _formula_and_percent_cells(data, sheet, columns):
    """Two sets of (row, column index) in ``columns`` of the data rows:
    the formula cells and the cells with a percent number format.

    Formulas show only in a second, formula-mode read: the values read
    first are the results stored in the file, which may not be calculated
    ones (see :func:`_results_calculated`).
    """
    formulas, percents = set(), set()
    if not sheet.rows or not columns:
        return formulas, percents
    workbook = load_workbook(io.BytesIO(data), read_only=True,
                             data_only=False)
    try:
        worksheet = workbook[sheet.title]
        worksheet.reset_dimensions()
        for cells in worksheet.iter_rows(min_row=sheet.header_row + 1,
                                         max_row=sheet.rows[-1][0]):
            for cell in cells:
                column = getattr(cell, 'column', None)
                if column is None or column - 1 not in columns:
                    continue
                key = (cell.row, column - 1)
                if getattr(cell, 'data_type', None) == 'f':
                    formulas.add(key)
                if is_percent_format(getattr(cell, 'number_format', None)):
                    percents.add(key)
        return formulas, percents
    finally:
        workbook.close()


def _results_calculated(data):
    """False when the workbook says its formula results are not calculated.

    XlsxWriter (and pandas with it) store 0 as every formula's result,
    openpyxl none; both mark the workbook for a full calculation on
    opening. Excel and LibreOffice store what they calculated.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        # check_file() has bounded every part's size.
        workbook_xml = archive.read('xl/workbook.xml')
    return not CALC_ON_LOAD.search(workbook_xml)


def _untrusted_formulas(data, sheet, formulas):
    """The formula cells whose stored results must not be imported."""
    if not formulas:
        return set()
    if not _results_calculated(data):
        return set(formulas)
    rows = dict(sheet.rows)
    results = [_cell(rows[row], column) for row, column in formulas]
    if len(results) >= ALL_ZERO_MIN_FORMULAS and all(
            _is_blank(value) or value == 0 for value in results):
        return set(formulas)
    return set()


def _check_mapping(mapping, input_specs, plan):
    """Column problems; return {column index: code} of the usable columns."""
    if mapping.get('ref_column') is None and mapping.get('name_column') is None:
        plan.problems.append(Problem(None, None, QuestionnaireError(
            _("No column with the customer number or the dealer name is "
              "selected"))))
    columns = {}
    first_column = {}
    for column, code in sorted((int(column), code) for column, code
                               in (mapping.get('columns') or {}).items()
                               if code):
        if code not in input_specs:
            plan.problems.append(Problem(None, _letter(column), QuestionnaireError(
                _("Column %(column)s is mapped to the unknown input field "
                  "%(code)s"), column=_letter(column), code=code)))
        elif code in first_column:
            plan.problems.append(Problem(None, _letter(column), QuestionnaireError(
                _("Column %(column)s is mapped to %(code)s like column "
                  "%(first)s"), column=_letter(column), code=code,
                first=_letter(first_column[code]))))
        else:
            first_column[code] = column
            columns[column] = code
    return columns


def _report_unmapped(sheet, mapping, plan):
    key_columns = {mapping.get('ref_column'), mapping.get('name_column')}
    mapped = {int(column) for column, code
              in (mapping.get('columns') or {}).items() if code}
    for column, header in enumerate(sheet.headers):
        if column in key_columns or column in mapped:
            continue
        # Empty spacer columns are harmless; anything with content is not.
        if not header and all(column >= len(values)
                              or _is_blank(values[column])
                              for _row, values in sheet.rows):
            continue
        plan.unknown_columns.append(header)
        plan.notices.append(Problem(None, _letter(column), QuestionnaireError(
            _("Column %(column)s (%(header)s) is not mapped to an input "
              "field and is ignored"), column=_letter(column),
            header=header)))


def _cell(values, column):
    if column is None or column >= len(values):
        return None
    return values[column]


def _dealer_key(text):
    return ' '.join(unicodedata.normalize('NFKC', str(text)).casefold().split())


def make_dealer_finder(dealers):
    """A ``find_dealer(ref, name)`` for :func:`parse` over ``dealers``.

    ``dealers`` is an iterable of (id, customer number or None, name).
    A given customer number must be known: it is never replaced by the
    name (that could be another dealer of the same name). Without one, the
    name must match exactly one dealer (case and spaces aside). Raises
    QuestionnaireError for an unknown number or an ambiguous name or
    number; returns None when nothing matches the name.
    """
    by_ref, by_name = {}, {}
    for dealer_id, ref, name in dealers:
        if ref and str(ref).strip():
            by_ref.setdefault(_dealer_key(ref), []).append(dealer_id)
        if name:
            by_name.setdefault(_dealer_key(name), []).append(dealer_id)

    def find(ref, name):
        if ref is not None and str(ref).strip():
            found = by_ref.get(_dealer_key(ref), [])
            if not found:
                raise QuestionnaireError(
                    _("No dealer has the customer number %(ref)s; the name "
                      "is not used when a customer number is given"),
                    ref=str(ref).strip())
            if len(found) > 1:
                raise QuestionnaireError(
                    _("The customer number %(ref)s belongs to %(count)s "
                      "dealers; please correct the dealers' customer "
                      "numbers"), ref=str(ref).strip(), count=len(found))
            return found[0]
        found = by_name.get(_dealer_key(name), []) if name else []
        if len(found) > 1:
            raise QuestionnaireError(
                _("The name %(name)s matches %(count)s dealers; please add "
                  "the customer number"), name=str(name).strip(),
                count=len(found))
        return found[0] if found else None
    return find


def _dealer_of_row(row, ref, name, key_column, find_dealer, plan):
    """The dealer id of a row, or None after adding its problem to ``plan``."""
    if ref is None and name is None:
        plan.problems.append(Problem(row, None, QuestionnaireError(
            _("Row %(row)s has values but no customer number or name"),
            row=row)))
        return None
    try:
        dealer_id = find_dealer(ref, name)
    except QuestionnaireError as error:
        # Ambiguous name, unknown customer number: the finder says which.
        plan.problems.append(Problem(row, _letter(key_column), error))
        return None
    if dealer_id is None:
        plan.problems.append(Problem(
            row, _letter(key_column), QuestionnaireError(
                _("Row %(row)s: no dealer with customer number "
                  "%(ref)s / name %(name)s"),
                row=row, ref=ref or '', name=name or '')))
    return dealer_id


def _value_of_cell(value, cell, spec, percent, number_format):
    """Return (number, error) of a non-blank mapped cell.

    A percent-formatted cell holds the fraction (0.125 shown as
    "12,5 %"): for an input entered in percent it is 12.5; for an input in
    any other unit the figure's meaning is unclear and it is refused.
    """
    number, error = _cell_number(value, *number_format)
    if error is None and percent and isinstance(value, (int, float)):
        if spec.get('unit') == 'percent':
            number = _as_shown(number * 100)
        elif spec.get('unit') is not None:
            error = QuestionnaireError(
                _("Cell %(cell)s is formatted as a percentage, but "
                  "%(label)s is not entered in percent; please remove the "
                  "percent format or enter the figure itself"),
                cell=cell, label=spec.get('label') or spec.get('code'))
    if error is None:
        error = validate_value(number, spec)
    return number, error


def parse(data, mapping, find_dealer, input_specs, decimal_point=',',
          thousands_sep='.', sheet_name=None, max_rows=MAX_ROWS):
    """Read a questionnaire with a confirmed ``mapping``; return an ImportPlan.

    ``mapping`` is as returned by :func:`suggest_mapping` (column keys may
    also be strings, as after a round trip through JSON).
    ``find_dealer(ref, name)`` returns a dealer id or None, or raises
    QuestionnaireError saying why the row's dealer cannot be told (a name
    matching several dealers, an unknown customer number); ``input_specs``
    maps each code to its field spec for ``plausibility.validate_value``
    plus an optional ``unit`` ('percent' takes percent-formatted cells
    times 100). Problems of the file as a whole (not a workbook, too
    large, no header) raise QuestionnaireError; everything else becomes a
    Problem. Nothing may be stored unless ``plan.ok`` (all-or-nothing).
    Columns not mapped are ignored and listed in ``plan.notices``.
    Formula results are imported only when a spreadsheet program
    calculated them (never computed here).
    """
    sheet = _read_sheet(data, sheet_name, max_rows, MAX_COLUMNS)
    plan = ImportPlan()
    columns = _check_mapping(mapping, input_specs, plan)
    _report_unmapped(sheet, mapping, plan)
    ref_column = mapping.get('ref_column')
    name_column = mapping.get('name_column')
    key_column = ref_column if ref_column is not None else name_column
    try:
        formulas, percents = _formula_and_percent_cells(data, sheet, columns)
        untrusted = _untrusted_formulas(data, sheet, formulas)
    except Exception:
        raise _unreadable()
    if not sheet.rows:
        plan.problems.append(Problem(None, None, QuestionnaireError(
            _("The file contains no dealer rows"))))
    seen = {}
    for row, values in sheet.rows:
        problem_count = len(plan.problems)
        ref = _key_text(_cell(values, ref_column))
        name = _key_text(_cell(values, name_column))
        dealer_id = _dealer_of_row(row, ref, name, key_column, find_dealer,
                                   plan)
        if dealer_id is not None and dealer_id in seen:
            plan.problems.append(Problem(row, None, QuestionnaireError(
                _("Row %(row)s: the dealer %(dealer)s already appears in "
                  "row %(first)s"),
                row=row, dealer=ref or name, first=seen[dealer_id])))
        elif dealer_id is not None:
            seen[dealer_id] = row
        row_values = {}
        for column, code in sorted(columns.items()):
            value = _cell(values, column)
            cell = '%s%s' % (_letter(column), row)
            if (row, column) in formulas and _is_blank(value):
                plan.problems.append(Problem(
                    row, _letter(column), QuestionnaireError(
                        _("The formula has no calculated value; please open "
                          "and save the file in Excel"))))
                continue
            if (row, column) in untrusted:
                plan.problems.append(Problem(
                    row, _letter(column), QuestionnaireError(
                        _("Cell %(cell)s holds a formula whose result was "
                          "not calculated by a spreadsheet program (the file "
                          "was written by another program); please open the "
                          "file in Excel or LibreOffice Calc, save it and "
                          "upload it again"), cell=cell)))
                continue
            if _is_blank(value):
                continue
            number, error = _value_of_cell(
                value, cell, input_specs[code], (row, column) in percents,
                (decimal_point, thousands_sep))
            if error is not None:
                plan.problems.append(Problem(row, _letter(column), error))
            else:
                row_values[code] = number
        if len(plan.problems) == problem_count:
            plan.rows.append({'row': row, 'dealer_id': dealer_id,
                              'values': row_values})
    return plan


def make_sample_workbook(dealers, inputs, values, year, lang='de'):
    """Return the bytes of a questionnaire in the style of the old files.

    Title row "Betriebsvergleich <year>", then the header "Kundennummer |
    Firma | <input labels>" and one row per dealer ({"ref", "name"}).
    ``values`` maps ref -> {code: value}; numbers are written as numbers,
    text as text (to build faulty files in tests), None not at all.
    """
    title, ref_header, name_header = SAMPLE_LABELS[lang]
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {
        'in_memory': True, 'strings_to_formulas': False,
        'strings_to_numbers': False, 'strings_to_urls': False})
    sheet = workbook.add_worksheet(str(year))
    bold = workbook.add_format({'bold': True})
    write_text(sheet, 0, 0, title % year, workbook.add_format(
        {'bold': True, 'font_size': 14}))
    headers = [ref_header, name_header] + [field['name'] for field in inputs]
    for column, header in enumerate(headers):
        write_text(sheet, 1, column, header, bold)
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 1, 30)
    sheet.set_column(2, len(headers), 16)
    sheet.freeze_panes(2, 2)
    for row, dealer in enumerate(dealers, start=2):
        if isinstance(dealer['ref'], str):
            write_text(sheet, row, 0, dealer['ref'])
        else:
            sheet.write(row, 0, dealer['ref'])
        write_text(sheet, row, 1, dealer['name'])
        dealer_values = values.get(dealer['ref'], {})
        for column, field in enumerate(inputs, start=2):
            value = dealer_values.get(field['code'])
            if isinstance(value, str):
                write_text(sheet, row, column, value)
            elif value is not None:
                sheet.write_number(row, column, value)
    workbook.close()
    return output.getvalue()
