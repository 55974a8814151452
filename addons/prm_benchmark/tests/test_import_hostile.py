"""Malformed and malicious files for the questionnaire import wizard.

Every file is refused with a clear message in the user's language and
stores nothing. Memory and time are bounded by running the parse in a child
process with an address-space limit: a regression that unpacks a zip bomb
dies there (or times out) instead of being measured in an assertion.
"""
import base64
import io
import json
import os
import struct
import subprocess
import sys
import zipfile

import openpyxl
import xlsxwriter

from odoo.exceptions import UserError

from ..lib import questionnaire
from .common import BenchmarkCase

ADDON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHILD_MEMORY = 1024 ** 3  # 1 GiB of address space for the whole interpreter
CHILD_TIMEOUT = 300  # generous: only a runaway parse gets near it

# Parses stdin like the wizard does (file checks, header scan, full parse)
# and prints the refusal template, or "accepted".
CHILD = r"""
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (%(limit)d, %(limit)d))
sys.path.insert(0, %(addon)r)
from lib import questionnaire
data = sys.stdin.buffer.read()
try:
    questionnaire.check_file(data)
    headers, _rows = questionnaire.read_rows(data)
    mapping = questionnaire.suggest_mapping(headers, [])
    questionnaire.parse(data, mapping, lambda ref, name: None, {})
except questionnaire.QuestionnaireError as error:
    print(json.dumps(error.template))
else:
    print(json.dumps("accepted"))
"""

NOT_XLSX = "Die Datei ist keine Excel-Arbeitsmappe (.xlsx)"
UNREADABLE = "Die Datei konnte nicht als Excel-Arbeitsmappe gelesen werden"
TOO_LARGE = "Die Datei ist größer als 10 MB"
UNPACKS = "Die Datei ist entpackt größer als 100 MB"
MACROS = "Arbeitsmappen mit Makros werden nicht angenommen"
NO_VALUE = "Die Formel hat keinen berechneten Wert"
NOT_A_NUMBER = "Bitte geben Sie eine Zahl ein, nicht '%s'"
DDE = "=cmd|' /C calc'!A0"


def parse_in_child(data):
    """Template of the refusal (or "accepted") from a memory-capped child."""
    script = CHILD % {"limit": CHILD_MEMORY, "addon": ADDON_DIR}
    done = subprocess.run([sys.executable, "-c", script], input=data,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=CHILD_TIMEOUT)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    return json.loads(done.stdout.decode())


def zip_bomb(unpacked_mb=400):
    """A valid-looking xlsx whose sheet XML unpacks to ``unpacked_mb`` MB."""
    with zipfile.ZipFile(io.BytesIO(SAMPLE_XLSX)) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    head, tail = parts.pop(sheet).split(b"</sheetData>")
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
        # Streamed in chunks: the test itself never holds the unpacked size.
        with archive.open(sheet, "w") as part:
            part.write(head)
            chunk = b"<row><c><v>1</v></c></row>" * 40000
            for _chunk in range(unpacked_mb * 1024 * 1024 // len(chunk)):
                part.write(chunk)
            part.write(b"</sheetData>" + tail)
    return output.getvalue()


def understated(data, name, size):
    """``data`` with the unpacked size of part ``name`` declared as ``size``."""
    data = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        offset = archive.getinfo(name).header_offset
    directory = data.find(b"PK\x01\x02")
    while data[directory + 46:directory + 46 + len(name)] != name.encode():
        directory = data.find(b"PK\x01\x02", directory + 1)
    struct.pack_into("<I", data, offset + 22, size)
    struct.pack_into("<I", data, directory + 24, size)
    return bytes(data)


SAMPLE_XLSX = questionnaire.make_sample_workbook(
    [{"ref": "T-000", "name": "T Bench Dealer 0"}],
    [{"code": "rev_new", "name": "rev_new"}], {"T-000": {"rev_new": 5.0}}, 1999)


class TestHostileQuestionnaireFiles(BenchmarkCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"].load_lang("de_DE")
        for index, dealer in enumerate(cls.dealers):
            dealer.ref = "T-%03d" % index
        cls.de = cls.env(context=dict(cls.env.context, lang="de_DE"))

    def stored_counts(self):
        return {model: self.env[model].search_count([]) for model in (
            "prm.benchmark.value", "prm.benchmark.entry",
            "prm.benchmark.kpi.value", "prm.benchmark.import.mapping")}

    def assert_refused(self, data, message, filename="bv1999.xlsx"):
        """Preview and import refuse ``data`` in German; nothing is stored."""
        before = self.stored_counts()
        wizard = self.de["prm.benchmark.import.wizard"].create({
            "period_id": self.q1.id, "filename": filename,
            "file": base64.b64encode(data)})
        for action in (wizard.action_preview, wizard.action_import):
            with self.assertRaises(UserError) as caught:
                action()
            self.assertIn(message, caught.exception.name)
        self.assertEqual(self.stored_counts(), before)

    def assert_problem_listed(self, data, message):
        """Preview lists ``message``; import refuses; nothing is stored."""
        before = self.stored_counts()
        wizard = self.de["prm.benchmark.import.wizard"].create({
            "period_id": self.q1.id, "filename": "bv1999.xlsx",
            "file": base64.b64encode(data)})
        wizard.action_preview()
        self.assertFalse(wizard.ready)
        self.assertIn(message, wizard.report)
        with self.assertRaises(UserError):
            wizard.action_import()
        self.assertEqual(self.stored_counts(), before)
        return wizard.report

    @staticmethod
    def formula_workbook(formula):
        """openpyxl workbook with ``formula`` as an uncalculated formula."""
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(["Kundennummer", "Firma", "rev_new"])
        sheet.append(["T-000", "T Bench Dealer 0", formula])
        assert sheet["C2"].data_type == "f"
        output = io.BytesIO()
        workbook.save(output)
        return output.getvalue()

    @staticmethod
    def without_calc_on_load(data):
        source = zipfile.ZipFile(io.BytesIO(data))
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                content = source.read(info.filename)
                if info.filename == "xl/workbook.xml":
                    content = content.replace(b' fullCalcOnLoad="1"', b"")
                target.writestr(info, content)
        return output.getvalue()

    @staticmethod
    def text_workbook(text):
        """Workbook with ``text`` in a number column, stored as a string."""
        return questionnaire.make_sample_workbook(
            [{"ref": "T-000", "name": "T Bench Dealer 0"}],
            [{"code": "rev_new", "name": "rev_new"}],
            {"T-000": {"rev_new": text}}, 1999)

    def test_files_that_are_not_excel_are_refused(self):
        pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n"
        html = b"<html><body><script>alert(1)</script></body></html>"
        random_bytes = bytes(range(256)) * 8
        for data in (pdf, html, random_bytes, b"PK\x03\x04" + random_bytes):
            self.assert_refused(data, NOT_XLSX)
            self.assertEqual(parse_in_child(data), questionnaire._not_xlsx(
            ).template)

    def test_truncated_workbook_is_refused(self):
        for cut in (len(SAMPLE_XLSX) // 2, len(SAMPLE_XLSX) - 30):
            self.assert_refused(SAMPLE_XLSX[:cut], NOT_XLSX)

    def test_file_over_the_size_limit_is_refused(self):
        data = SAMPLE_XLSX + b"\0" * questionnaire.MAX_BYTES
        self.assert_refused(data, TOO_LARGE)

    def test_zip_bomb_is_refused_within_bounded_memory(self):
        bomb = zip_bomb(400)
        self.assertLess(len(bomb), 3 * 1024 * 1024)
        self.assert_refused(bomb, UNPACKS)
        self.assertEqual(parse_in_child(bomb),
                         "The file unpacks to more than %(limit)s MB")

    def test_understated_zip_bomb_is_refused_within_bounded_memory(self):
        # The zip directory claims a small sheet, so every size check passes;
        # reading must still stop at the declared size.
        bomb = understated(zip_bomb(400), "xl/worksheets/sheet1.xml", 5000)
        questionnaire.check_file(bomb)
        self.assert_refused(bomb, UNREADABLE)
        self.assertEqual(parse_in_child(bomb), questionnaire._unreadable(
        ).template)

    def test_macro_enabled_workbook_is_refused(self):
        with zipfile.ZipFile(io.BytesIO(SAMPLE_XLSX)) as source:
            parts = {name: source.read(name) for name in source.namelist()}
        parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0" + b"\0" * 512
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in parts.items():
                archive.writestr(name, content)
        self.assert_refused(output.getvalue(), MACROS, filename="bv1999.xlsm")

    def test_uncalculated_formulas_are_never_evaluated(self):
        for formula in ("=1+1", '=HYPERLINK("http://example.com","5")', DDE):
            self.assert_problem_listed(self.formula_workbook(formula),
                                       NO_VALUE)

    def test_formula_text_in_cells_is_refused_as_not_a_number(self):
        for text in ("=1+1", DDE, "@SUM(1+1)*cmd|' /C calc'!A0",
                     "<script>window.__pwned=1</script>"):
            self.assert_problem_listed(self.text_workbook(text),
                                       NOT_A_NUMBER % text)

    def test_calculated_formula_imports_the_file_value_not_a_computed_one(self):
        # Excel stores each formula's last result; that figure is what the
        # dealer saw, and the server never computes formulas itself.
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet()
        sheet.write_row(0, 0, ["Kundennummer", "Firma", "rev_new"])
        sheet.write_row(1, 0, ["T-000", "T Bench Dealer 0"])
        sheet.write_formula(1, 2, "=1+1", None, 7)
        workbook.close()
        # As Excel saves it: XlsxWriter's request to recalculate every formula
        # on opening (its results are not calculated ones) is gone.
        data = self.without_calc_on_load(output.getvalue())
        wizard = self.env["prm.benchmark.import.wizard"].create({
            "period_id": self.q1.id, "filename": "bv1999.xlsx",
            "file": base64.b64encode(data)})
        wizard.action_preview()
        self.assertTrue(wizard.ready, wizard.report)
        wizard.action_import()
        value = self.env["prm.benchmark.value"].search([
            ("period_id", "=", self.q1.id),
            ("partner_id", "=", self.dealers[0].id)])
        self.assertEqual(value.mapped("value"), [7.0])
