"""XLSX exports of the comparison: a dealer's own view and the network data.

Both writers take a ``translate`` callable that is applied to every fixed
label (the ``_``-marked literals below) before it is written, so the Odoo
layer can pass its translation function. Texts coming from the caller (KPI
names, dealer names, states) are written as given.
"""
import datetime
import math
import os
import re

import xlsxwriter
from xlsxwriter.format import Format

from . import units
from .errors import _

# Decimals follow the unit (one catalogue, ``lib.units``); values in
# percent are already in percent units.
UNIT_FORMATS = {unit: units.excel_format(unit) for unit in units.UNITS}
UNIT_LABELS = {
    'currency': _("EUR"),
    'percent': _("Percent"),
    'ratio': _("Ratio"),
    'days': _("Days"),
    'months': _("Months"),
    'count': _("Count"),
    'hours': _("Hours"),
    'area': _("Square metres"),
    'per_employee': _("EUR per employee"),
}
CHANGE_FORMAT = '+0.0 "%";-0.0 "%";0.0 "%"'
INTEGER_FORMAT = '0'
DATE_FORMAT = 'dd.mm.yyyy'

WITHHELD = _("withheld (group too small)")

# Partner view table: (header, width); the statistic columns start at
# FIRST_STAT_COL and are the ones hidden for a withheld KPI.
PARTNER_COLUMNS = (
    (_("KPI"), 42), (_("Unit"), 16), (_("Own value"), 14),
    (_("Previous period"), 14), (_("Change %"), 11), (_("Median"), 14),
    (_("Lower quartile"), 14), (_("Upper quartile"), 14),
    (_("Top quartile mean"), 14), (_("N"), 7), (_("Rank"), 7),
    (_("Percentile"), 11),
)
STAT_KEYS = ('median', 'q1', 'q3', 'top_quartile_mean', 'count', 'rank',
             'percentile')
FIRST_STAT_COL = 5
PARTNER_HEADER_ROW = 6
CHART_COL = len(PARTNER_COLUMNS) + 1
MAX_TREND_CHARTS = 6

NOTES = (
    (_("N"), _("N is the number of dealers in the comparison group whose "
               "figures were used for the statistics of a key figure.")),
    (_("Median"), _("The median is the middle value of the group: half of "
                    "the dealers lie above it, half below.")),
    (_("Quartiles"), _("A quarter of the group lies below the lower quartile "
                       "and a quarter above the upper quartile; the middle "
                       "half of the group lies between them.")),
    (_("Top quartile mean"), _("The average of the best quarter of the "
                               "group, taking into account whether higher "
                               "or lower values are better.")),
    (_("Rank and percentile"), _("Rank 1 is the best value in the group. "
                                 "The percentile is the share of the group "
                                 "whose value is not better than yours; the "
                                 "best dealer has 100.")),
    (_("Anonymity"), _("Only statistics of groups large enough that no single "
                       "dealer's figures can be inferred are shown; otherwise "
                       "they are marked as withheld. Other dealers' individual "
                       "figures are never shown.")),
)

DEALER_COLUMNS = (
    ('ref', _("Customer number"), 16), ('name', _("Name"), 32),
    ('territory', _("Territory"), 18), ('tier', _("Tier"), 12),
    ('size_class', _("Size class"), 12), ('state', _("State"), 14),
)
GROUP_COLUMNS = (
    ('group', _("Group"), 22), ('kpi', _("KPI"), 36), ('count', _("N"), 7),
    ('median', _("Median"), 14), ('q1', _("Lower quartile"), 14),
    ('q3', _("Upper quartile"), 14),
    ('top_quartile_mean', _("Top quartile mean"), 14), ('mean', _("Mean"), 14),
)
COMPLETENESS_COLUMNS = (
    ('ref', _("Customer number"), 16), ('name', _("Name"), 32),
    ('territory', _("Territory"), 18), ('state', _("State"), 14),
    ('submitted_on', _("Submitted on"), 14),
    ('missing_inputs', _("Missing inputs"), 10),
)
EXCEL_MAX_ROWS = 1048576

# Excel forbids these in sheet names; control characters break the file.
INVALID_SHEET_CHARS = re.compile(r'[\[\]:*?/\\\x00-\x1f]')
SHEET_NAME_MAX = 31

# Caller texts are data, never formulas or links (no formula injection).
WORKBOOK_OPTIONS = {
    'strings_to_formulas': False,
    'strings_to_urls': False,
    'strings_to_numbers': False,
}

TITLE = {'bold': True, 'font_size': 14}
LABEL = {'bold': True}
HEADER = {'bold': True, 'bg_color': '#D9E1F2', 'border': 1,
          'border_color': '#8EA9DB', 'text_wrap': True, 'valign': 'top'}
GROUP_HEADER = dict(HEADER, align='center', bg_color='#B4C6E7')
CELL = {'border': 1, 'border_color': '#D9D9D9'}
WITHHELD_CELL = dict(CELL, italic=True, font_color='#7F7F7F', align='center')


def identity(text):
    """Default ``translate``: leave the text as it is."""
    return text


def number_format(unit):
    """Excel number format for a KPI or input unit."""
    try:
        return UNIT_FORMATS[unit]
    except KeyError:
        raise ValueError('unknown unit %r' % (unit,))


def unique_sheet_name(name, used):
    """Return a valid, unique sheet name for ``name`` and record it in ``used``.

    ``used`` is a set of casefolded names already taken (Excel compares sheet
    names case-insensitively).
    """
    name = INVALID_SHEET_CHARS.sub('-', name or '').strip(" '")
    base = name[:SHEET_NAME_MAX].rstrip(" '") or 'Sheet'
    candidate, counter = base, 1
    # "History" is reserved by Excel for change tracking.
    while candidate.casefold() in used or candidate.casefold() == 'history':
        counter += 1
        suffix = ' (%d)' % counter
        candidate = base[:SHEET_NAME_MAX - len(suffix)].rstrip(" '") + suffix
    used.add(candidate.casefold())
    return candidate


def _number(value):
    """``value`` as a finite float, or None when there is nothing to write."""
    if value is None:
        return None
    if isinstance(value, (bool, str, bytes)):
        raise TypeError('expected a number, got %r' % (value,))
    value = float(value)
    return value if math.isfinite(value) else None


class _Formats(object):
    """Creates each distinct cell format once per workbook."""

    def __init__(self, workbook):
        self._workbook = workbook
        self._cache = {}

    def __call__(self, *bases, **props):
        merged = {}
        for base in bases:
            merged.update(base)
        merged.update(props)
        key = tuple(sorted(merged.items()))
        if key not in self._cache:
            self._cache[key] = self._workbook.add_format(merged)
        return self._cache[key]


def _write_number(sheet, row, col, value, cell_format):
    value = _number(value)
    if value is None:
        sheet.write_blank(row, col, None, cell_format)
    else:
        sheet.write_number(row, col, value, cell_format)


def write_text(sheet, row, col, text, cell_format=None):
    """Write the string ``text`` into a cell so that it reads back unchanged.

    The one way our workbooks get text (names, labels, headers): XlsxWriter
    writes a string shaped like ``<r>…</r>`` as raw rich-text XML, so
    ``<r><t>Schmidt</t></r>`` would show "Schmidt" and ``<r>Müller &
    Söhne</r>`` break the file. Such a string is written as a rich string
    of two runs in the cell's font, whose text is exactly ``text``.
    """
    text = str(text)
    if not (text.startswith('<r>') and text.endswith('</r>')):
        return sheet.write_string(row, col, text, cell_format)
    run_format = cell_format or Format()
    fragments = [run_format, text[:1], run_format, text[1:]]
    if cell_format is not None:
        fragments.append(cell_format)
    return sheet.write_rich_string(row, col, *fragments)


def merge_text(sheet, first_row, first_col, last_row, last_col, text,
               cell_format):
    """``merge_range`` with ``text`` written by :func:`write_text`."""
    sheet.merge_range(first_row, first_col, last_row, last_col, '',
                      cell_format)
    write_text(sheet, first_row, first_col, text, cell_format)


def _write_text(sheet, row, col, value, cell_format=None):
    if value is None or value is False:
        # Odoo gives False for empty fields.
        sheet.write_blank(row, col, None, cell_format)
    else:
        write_text(sheet, row, col, value, cell_format)


def _write_header_row(sheet, row, labels, cell_format):
    for col, label in enumerate(labels):
        write_text(sheet, row, col, label, cell_format)


def _write_header_block(sheet, formats, view, t):
    write_text(sheet, 0, 0, view.get('title') or '', formats(TITLE))
    for row, (label, key) in enumerate((
            (_("Dealer"), 'dealer'), (_("Period"), 'period'),
            (_("Comparison group"), 'group'), (_("Generated on"), 'generated'),
            (_("Statistics as of"), 'statistics_as_of'),
    ), start=1):
        write_text(sheet, row, 0, t(label), formats(LABEL))
        _write_text(sheet, row, 1, view.get(key))


def _write_kpi_row(sheet, formats, row, kpi, t):
    value_format = formats(CELL, num_format=number_format(kpi['unit']))
    integer_format = formats(CELL, num_format=INTEGER_FORMAT)
    write_text(sheet, row, 0, kpi['name'], formats(CELL, text_wrap=True))
    write_text(sheet, row, 1, t(UNIT_LABELS[kpi['unit']]), formats(CELL))
    _write_number(sheet, row, 2, kpi.get('own'), value_format)
    _write_number(sheet, row, 3, kpi.get('prev'), value_format)
    _write_number(sheet, row, 4, kpi.get('change'),
                  formats(CELL, num_format=CHANGE_FORMAT))
    if kpi.get('withheld'):
        # The statistics are not even read: a withheld value must not reach
        # the file, not as a cell, a chart cache or a hidden column.
        merge_text(sheet, row, FIRST_STAT_COL, row, len(PARTNER_COLUMNS) - 1,
                   t(WITHHELD), formats(WITHHELD_CELL))
        return
    for col, key in enumerate(STAT_KEYS, start=FIRST_STAT_COL):
        if key in ('count', 'rank', 'percentile'):
            cell_format = integer_format
        else:
            cell_format = value_format
        _write_number(sheet, row, col, kpi.get(key), cell_format)


def _write_section_chart(workbook, sheet, formats, section, first_row, t):
    """Chart data block from ``first_row`` plus the section's column chart.

    The chart needs a contiguous range without the withheld KPIs, so it
    gets its own small table below the main one.
    """
    kpis = [kpi for kpi in section['kpis'] if not kpi.get('withheld')]
    if not kpis:
        return
    write_text(sheet, first_row, 0, t(_("Chart data")), formats(LABEL))
    header_row = first_row + 1
    _write_header_row(sheet, header_row, [
        t(_("KPI")), t(_("Own value")), t(_("Median")),
        t(_("Top quartile mean"))], formats(HEADER))
    for row, kpi in enumerate(kpis, start=header_row + 1):
        value_format = formats(CELL, num_format=number_format(kpi['unit']))
        write_text(sheet, row, 0, kpi['name'], formats(CELL))
        for col, key in enumerate(('own', 'median', 'top_quartile_mean'), 1):
            _write_number(sheet, row, col, kpi.get(key), value_format)
    last_row = header_row + len(kpis)
    chart = workbook.add_chart({'type': 'column'})
    for col, color in ((1, '#2F5597'), (2, '#A5A5A5'), (3, '#70AD47')):
        chart.add_series({
            'name': [sheet.name, header_row, col],
            'categories': [sheet.name, header_row + 1, 0, last_row, 0],
            'values': [sheet.name, header_row + 1, col, last_row, col],
            'fill': {'color': color},
        })
    chart.set_title({'name': '%s: %s' % (
        section['name'], t(_("own value vs. median vs. top quartile")))})
    chart.set_x_axis({'name': t(_("KPI"))})
    chart.set_y_axis({'name': t(_("Value")),
                      'major_gridlines': {'visible': True}})
    chart.set_legend({'position': 'bottom'})
    chart.set_size({'width': max(640, 90 * len(kpis) + 160), 'height': 380})
    sheet.insert_chart(PARTNER_HEADER_ROW, CHART_COL, chart)


def _write_section(workbook, formats, sheet, view, section, t):
    _write_header_block(sheet, formats, view, t)
    for col, (label, width) in enumerate(PARTNER_COLUMNS):
        sheet.set_column(col, col, width)
    _write_header_row(sheet, PARTNER_HEADER_ROW,
                      [t(label) for label, _width in PARTNER_COLUMNS],
                      formats(HEADER))
    sheet.freeze_panes(PARTNER_HEADER_ROW + 1, 1)
    row = PARTNER_HEADER_ROW
    for row, kpi in enumerate(section['kpis'], start=PARTNER_HEADER_ROW + 1):
        _write_kpi_row(sheet, formats, row, kpi, t)
    _write_section_chart(workbook, sheet, formats, section, row + 2, t)


def _write_trend(workbook, formats, sheet, view, t):
    """Series table (one row per period) and a line chart per KPI."""
    trend = view['trend']
    periods = trend['periods']
    kpis = {kpi['code']: kpi
            for section in view['sections'] for kpi in section['kpis']}
    write_text(sheet, 0, 0, view.get('title') or '', formats(TITLE))
    write_text(sheet, 1, 0, t(_("Trend")), formats(LABEL))
    header_row = 3
    write_text(sheet, header_row, 0, t(_("Period")), formats(HEADER))
    sheet.set_column(0, 0, 14)
    for row, period in enumerate(periods, start=header_row + 1):
        write_text(sheet, row, 0, period, formats(CELL))
    col = 1
    charts = []
    for code, series in trend['series'].items():
        kpi = kpis.get(code, {'name': code, 'unit': 'ratio'})
        value_format = formats(CELL, num_format=number_format(kpi['unit']))
        columns = [('own', _("Own value"))]
        # A KPI withheld now gets no median line at all, so that no
        # statistic of it appears anywhere in the file.
        if not kpi.get('withheld'):
            columns.append(('median', _("Median")))
        kpi_columns = []
        for key, label in columns:
            values = list(series.get(key) or [])
            if len(values) > len(periods):
                raise ValueError('trend series %s/%s is longer than periods'
                                 % (code, key))
            write_text(sheet, header_row, col, '%s: %s' % (
                kpi['name'], t(label)), formats(HEADER))
            sheet.set_column(col, col, 16)
            for row, value in enumerate(values, start=header_row + 1):
                _write_number(sheet, row, col, value, value_format)
            kpi_columns.append(col)
            col += 1
        charts.append((kpi, kpi_columns))
    sheet.freeze_panes(header_row + 1, 1)
    if not periods:
        return
    last_row = header_row + len(periods)
    for index, (kpi, kpi_columns) in enumerate(charts[:MAX_TREND_CHARTS]):
        chart = workbook.add_chart({'type': 'line'})
        for series_col in kpi_columns:
            chart.add_series({
                'name': [sheet.name, header_row, series_col],
                'categories': [sheet.name, header_row + 1, 0, last_row, 0],
                'values': [sheet.name, header_row + 1, series_col, last_row,
                           series_col],
                'marker': {'type': 'circle'},
            })
        chart.set_title({'name': kpi['name']})
        chart.set_x_axis({'name': t(_("Period"))})
        chart.set_y_axis({'name': t(UNIT_LABELS[kpi['unit']])})
        chart.set_legend({'position': 'bottom'})
        chart.set_size({'width': 560, 'height': 300})
        sheet.insert_chart(header_row + index * 16, col + 1, chart)


def _write_notes(formats, sheet, t):
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 100)
    write_text(sheet, 0, 0, t(_("Notes")), formats(TITLE))
    for row, (term, text) in enumerate(NOTES, start=2):
        write_text(sheet, row, 0, t(term), formats(LABEL, valign='top'))
        write_text(sheet, row, 1, t(text), formats(text_wrap=True,
                                                   valign='top'))


def write_partner_view(view, output, translate=identity):
    """Write a dealer's own benchmark ``view`` as XLSX.

    ``view`` is a plain dict: title, dealer, period, group, generated,
    sections [{name, kpis [{code, name, unit, own, prev, change, median, q1,
    q3, top_quartile_mean, count, rank, percentile, withheld, ...}]}] and
    optionally trend {periods, series {code: {own: [...], median: [...]}}}.

    ``output`` is a path or a binary file object. One sheet per section with
    a column chart, a "Trend" sheet when ``view['trend']`` is given and a
    "Notes" sheet. Statistics of withheld KPIs are never written.
    """
    t = translate
    options = dict(WORKBOOK_OPTIONS, in_memory=True)
    workbook = xlsxwriter.Workbook(output, options)
    formats = _Formats(workbook)
    used = set()
    workbook.set_properties({'title': view.get('title') or ''})
    for section in view['sections']:
        for kpi in section['kpis']:
            number_format(kpi['unit'])  # fail before anything is written
        sheet = workbook.add_worksheet(unique_sheet_name(section['name'], used))
        _write_section(workbook, formats, sheet, view, section, t)
    if view.get('trend'):
        sheet = workbook.add_worksheet(unique_sheet_name(t(_("Trend")), used))
        _write_trend(workbook, formats, sheet, view, t)
    sheet = workbook.add_worksheet(unique_sheet_name(t(_("Notes")), used))
    _write_notes(formats, sheet, t)
    workbook.close()


def _discard(workbook):
    """Remove the temporary row files of a workbook that will not be closed.

    xlsxwriter deletes them only in close(); an exception from the caller's
    row generator would otherwise leave them in the temp directory.
    """
    for sheet in workbook.worksheets():
        handle = getattr(sheet, 'row_data_fh', None)
        filename = getattr(sheet, 'row_data_filename', None)
        if handle is not None and not handle.closed:
            handle.close()
        if filename and os.path.exists(filename):
            os.remove(filename)


def _write_meta(sheet, formats, meta, t):
    write_text(sheet, 0, 0, meta.get('title') or '', formats(TITLE))
    write_text(sheet, 1, 0, t(_("Period")), formats(LABEL))
    _write_text(sheet, 1, 1, meta.get('period'))
    write_text(sheet, 1, 2, t(_("Generated on")), formats(LABEL))
    _write_text(sheet, 1, 3, meta.get('generated'))
    sheet.write_string(1, 4, t(_("Statistics as of")), formats(LABEL))
    _write_text(sheet, 1, 5, meta.get('statistics_as_of'))


def _group_header(sheet, row, first_col, last_col, label, cell_format):
    if last_col < first_col:
        return
    if last_col == first_col:
        write_text(sheet, row, first_col, label, cell_format)
    else:
        merge_text(sheet, row, first_col, row, last_col, label, cell_format)


def _check_row(row):
    if row >= EXCEL_MAX_ROWS:
        raise ValueError('more rows than an Excel sheet can hold')


def value_headers(fields, t, taken=()):
    """Column headers "<name> (<unit>)" for ``fields`` ({code, name, unit}).

    An input and a KPI may share a name ("Betriebsergebnis" in EUR and in
    percent): the unit tells them apart, and a header still equal to one
    before it (case-insensitive, also to ``taken``) gets the code added.
    """
    used = {str(label).casefold() for label in taken}
    headers = []
    for field in fields:
        header = '%s (%s)' % (field['name'], t(UNIT_LABELS[field['unit']]))
        if header.casefold() in used:
            header = '%s [%s]' % (header, field['code'])
        used.add(header.casefold())
        headers.append(header)
    return headers


def _write_dealers(sheet, formats, meta, inputs, kpis, dealer_rows, t):
    _write_meta(sheet, formats, meta, t)
    first_input = len(DEALER_COLUMNS)
    first_kpi = first_input + len(inputs)
    last_col = first_kpi + len(kpis) - 1
    group_format = formats(GROUP_HEADER)
    _group_header(sheet, 3, 0, first_input - 1, t(_("Dealer")), group_format)
    _group_header(sheet, 3, first_input, first_kpi - 1, t(_("Inputs")),
                  group_format)
    _group_header(sheet, 3, first_kpi, last_col, t(_("KPIs")), group_format)
    labels = [t(label) for _key, label, _width in DEALER_COLUMNS]
    labels += value_headers(list(inputs) + list(kpis), t, labels)
    _write_header_row(sheet, 4, labels, formats(HEADER))
    for col, (_key, _label, width) in enumerate(DEALER_COLUMNS):
        sheet.set_column(col, col, width)
    if len(labels) > first_input:
        sheet.set_column(first_input, len(labels) - 1, 14)
    sheet.freeze_panes(5, 2)
    # Formats are looked up once, not per cell of thousands of rows.
    text_format = formats(CELL)
    value_columns = [
        (col, 'inputs', field['code'],
         formats(CELL, num_format=number_format(field['unit'])))
        for col, field in enumerate(inputs, start=first_input)
    ] + [
        (col, 'kpis', field['code'],
         formats(CELL, num_format=number_format(field['unit'])))
        for col, field in enumerate(kpis, start=first_kpi)
    ]
    count = 0
    row = 4
    for row, dealer in enumerate(dealer_rows, start=5):
        _check_row(row)
        for col, (key, _label, _width) in enumerate(DEALER_COLUMNS):
            _write_text(sheet, row, col, dealer.get(key), text_format)
        for col, group, code, cell_format in value_columns:
            _write_number(sheet, row, col, (dealer.get(group) or {}).get(code),
                          cell_format)
        count += 1
    sheet.autofilter(4, 0, row, len(labels) - 1)
    return count


def _write_group_statistics(sheet, formats, meta, kpis, group_rows, t):
    _write_meta(sheet, formats, meta, t)
    _write_header_row(sheet, 3, [t(label) for _k, label, _w in GROUP_COLUMNS],
                      formats(HEADER))
    for col, (_key, _label, width) in enumerate(GROUP_COLUMNS):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(4, 2)
    by_code = {field['code']: field for field in kpis}
    text_format = formats(CELL)
    count_format = formats(CELL, num_format=INTEGER_FORMAT)
    withheld_format = formats(WITHHELD_CELL)
    for row, stats in enumerate(group_rows, start=4):
        _check_row(row)
        field = by_code.get(stats['kpi'])
        _write_text(sheet, row, 0, stats.get('group'), text_format)
        _write_text(sheet, row, 1, field['name'] if field else stats['kpi'],
                    text_format)
        _write_number(sheet, row, 2, stats.get('count'), count_format)
        if stats.get('withheld'):
            # Same rule as in the dealers' view: withheld means not written.
            merge_text(sheet, row, 3, row, len(GROUP_COLUMNS) - 1,
                       t(WITHHELD), withheld_format)
            continue
        value_format = formats(CELL, num_format=number_format(
            field['unit'] if field else 'ratio'))
        for col, (key, _label, _width) in enumerate(GROUP_COLUMNS[3:], 3):
            _write_number(sheet, row, col, stats.get(key), value_format)


def _write_completeness(sheet, formats, meta, completeness_rows, t):
    _write_meta(sheet, formats, meta, t)
    _write_header_row(sheet, 3, [t(label) for _k, label, _w
                                 in COMPLETENESS_COLUMNS], formats(HEADER))
    for col, (_key, _label, width) in enumerate(COMPLETENESS_COLUMNS):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(4, 2)
    text_format = formats(CELL)
    date_format = formats(CELL, num_format=DATE_FORMAT)
    count_format = formats(CELL, num_format=INTEGER_FORMAT)
    for row, entry in enumerate(completeness_rows, start=4):
        _check_row(row)
        for col, key in enumerate(('ref', 'name', 'territory', 'state')):
            _write_text(sheet, row, col, entry.get(key), text_format)
        submitted = entry.get('submitted_on')
        if isinstance(submitted, datetime.date):
            if not isinstance(submitted, datetime.datetime):
                submitted = datetime.datetime.combine(
                    submitted, datetime.time())
            sheet.write_datetime(row, 4, submitted, date_format)
        else:
            _write_text(sheet, row, 4, submitted, text_format)
        _write_number(sheet, row, 5, entry.get('missing_inputs'), count_format)


def write_network_export(meta, inputs, kpis, dealer_rows, group_rows,
                         completeness_rows, output, translate=identity,
                         tmpdir=None):
    """Write the head-office export of a period; return the dealer rows written.

    Sheets "Dealers", "Group statistics" and "Completeness". The row
    iterables are consumed once, in order, and never held in memory: the
    workbook runs in xlsxwriter's constant_memory mode, which keeps one row
    at a time and spools the rest to temporary files in ``tmpdir``.
    ``output`` may be a path or a binary file object (BytesIO works too);
    either way the rows stream through the temporary files. With a file
    object the finished, compressed file is written into it at the end, so
    for very large exports pass a path or a real file.
    """
    t = translate
    for field in list(inputs) + list(kpis):
        number_format(field['unit'])  # fail before the rows are consumed
    options = dict(WORKBOOK_OPTIONS, constant_memory=True, in_memory=False,
                   tmpdir=tmpdir)
    workbook = xlsxwriter.Workbook(output, options)
    try:
        formats = _Formats(workbook)
        used = set()
        workbook.set_properties({'title': meta.get('title') or ''})
        # constant_memory writes each sheet's rows strictly top to bottom,
        # so every sheet is filled completely before the next one starts.
        dealers = workbook.add_worksheet(unique_sheet_name(t(_("Dealers")), used))
        count = _write_dealers(dealers, formats, meta, inputs, kpis,
                               dealer_rows, t)
        groups = workbook.add_worksheet(
            unique_sheet_name(t(_("Group statistics")), used))
        _write_group_statistics(groups, formats, meta, kpis, group_rows, t)
        completeness = workbook.add_worksheet(
            unique_sheet_name(t(_("Completeness")), used))
        _write_completeness(completeness, formats, meta, completeness_rows, t)
    except BaseException:
        _discard(workbook)
        raise
    workbook.close()
    return count
