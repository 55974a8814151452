"""Import of historical questionnaires: dry run, all-or-nothing, idempotent."""
import base64

from odoo.exceptions import AccessError, UserError

from ..lib import questionnaire
from .common import BenchmarkCase


class TestQuestionnaireImport(BenchmarkCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for index, dealer in enumerate(cls.dealers):
            dealer.ref = "T-%03d" % index
        cls.input_list = [{"code": code, "name": record.name}
                          for code, record in sorted(cls.inputs.items())]

    def workbook(self, values, dealers=None):
        dealers = dealers or [{"ref": d.ref, "name": d.name}
                              for d in self.dealers[:3]]
        return questionnaire.make_sample_workbook(
            dealers, self.input_list, values, 1999)

    def good_values(self):
        return {dealer.ref: {code: 1000.0 + index for code in self.inputs}
                for index, dealer in enumerate(self.dealers[:3])}

    def wizard(self, data, user=None):
        Wizard = self.env["prm.benchmark.import.wizard"]
        if user:
            Wizard = Wizard.sudo(user)
        return Wizard.create({"period_id": self.q1.id, "filename": "bv1999.xlsx",
                              "file": base64.b64encode(data)})

    def stored(self):
        return {(v.partner_id.ref, v.input_id.code): v.value
                for v in self.env["prm.benchmark.value"].search(
                    [("period_id", "=", self.q1.id)])}

    def test_good_file_is_imported_with_kpis_and_statistics(self):
        wizard = self.wizard(self.workbook(self.good_values()))
        wizard.action_preview()
        self.assertTrue(wizard.ready, wizard.report)
        self.assertIn("Dealers: 3", wizard.report)
        wizard.action_import()
        stored = self.stored()
        self.assertEqual(stored[("T-001", "rev_new")], 1001.0)
        self.assertEqual(len(stored), 3 * len(self.inputs))
        entry = self.env["prm.benchmark.entry"].search(
            [("partner_id", "=", self.dealers[0].id), ("period_id", "=", self.q1.id)])
        self.assertEqual(entry.state, "submitted")
        self.assertTrue(entry.kpi_value_ids)
        self.env["prm.benchmark.engine"]._refresh_stale()  # the worker's part
        self.assertTrue(self.env["prm.benchmark.stat"].search(
            [("period_id", "=", self.q1.id)]))
        self.assertTrue(wizard.mapping_id, "the column mapping is saved for reuse")

    def test_file_with_errors_imports_nothing_and_lists_every_problem(self):
        values = self.good_values()
        values["T-001"]["rev_new"] = "abc"
        values["T-002"]["rev_used"] = -5.0
        dealers = [{"ref": d.ref, "name": d.name} for d in self.dealers[:3]]
        dealers.append({"ref": "X-404", "name": "Unknown dealer"})
        values["X-404"] = {"rev_new": 1.0}
        wizard = self.wizard(self.workbook(values, dealers))
        wizard.action_preview()
        self.assertFalse(wizard.ready)
        report = wizard.report
        self.assertIn("Please enter a number, not 'abc'", report)
        self.assertIn("must not be negative", report)
        self.assertIn("X-404", report)
        self.assertRegex(report, r"row \d+, column [A-Z]+")
        with self.assertRaises(UserError):
            wizard.action_import()
        self.assertEqual(self.stored(), {}, "all or nothing")

    def test_reimport_changes_nothing(self):
        data = self.workbook(self.good_values())
        self.wizard(data).action_preview()
        first = self.wizard(data)
        first.action_preview()
        first.action_import()
        before = self.stored()
        messages = self.env["mail.message"].search_count([])
        second = self.wizard(data)
        second.action_preview()
        self.assertIn("new: 0, changed: 0", second.report)
        second.action_import()
        self.assertEqual(self.stored(), before)
        self.assertEqual(self.env["mail.message"].search_count([]), messages)

    def test_not_an_excel_file_is_refused_clearly(self):
        wizard = self.wizard(b"this is not a spreadsheet")
        with self.assertRaises(UserError) as error:
            wizard.action_preview()
        self.assertIn("xlsx", error.exception.name.lower())

    def test_only_head_office_may_import(self):
        with self.assertRaises(AccessError):
            wizard = self.wizard(self.workbook(self.good_values()),
                                 user=self.director0)
            wizard.action_preview()

    def test_wizard_without_file_says_so(self):
        """Reviewer: an empty file gave a NOT NULL database error."""
        for empty in (False, b""):
            with self.assertRaises(UserError) as info:
                self.env["prm.benchmark.import.wizard"].create(
                    {"period_id": self.q1.id, "file": empty})
            self.assertIn("questionnaire file", info.exception.name)
