"""Data fidelity in the Odoo layer (issue 17): import wizard, audit trail,
numbers in messages in the reader's language."""
import base64
import io

import xlsxwriter

from ..glue import translated
from ..lib import questionnaire
from ..lib.plausibility import ValidationProblem
from .common import BenchmarkCase


class TestFidelity(BenchmarkCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for index, dealer in enumerate(cls.dealers):
            dealer.ref = "T-%03d" % index
        cls.env["res.lang"].load_lang("de_DE")
        cls.german = cls.env(context=dict(cls.env.context, lang="de_DE"))

    def wizard(self, data, env=None):
        return (env or self.env)["prm.benchmark.import.wizard"].create({
            "period_id": self.q1.id, "filename": "bv1999.xlsx",
            "file": base64.b64encode(data)})

    def workbook(self, dealers, values, inputs=None):
        inputs = inputs or [{"code": "rev_new",
                             "name": self.inputs["rev_new"].name}]
        return questionnaire.make_sample_workbook(dealers, inputs, values, 1999)

    def entry(self, dealer):
        return self.env["prm.benchmark.entry"].search([
            ("partner_id", "=", dealer.id), ("period_id", "=", self.q1.id)])

    # --- issue 17.6: which dealer a row is ----------------------------------------

    def test_unknown_customer_number_does_not_fall_back_to_the_name(self):
        data = self.workbook([{"ref": "X-999", "name": self.dealers[1].name}],
                             {"X-999": {"rev_new": 5.0}})
        wizard = self.wizard(data)
        wizard.action_preview()
        self.assertFalse(wizard.ready, wizard.report)
        self.assertIn("No dealer has the customer number X-999", wizard.report)
        self.assertFalse(self.entry(self.dealers[1]))

    def test_a_name_matching_two_dealers_is_refused(self):
        self.env["res.partner"].create({
            "name": self.dealers[2].name, "is_company": True,
            "prm_is_dealer": True, "prm_state": "active"})
        data = self.workbook([{"ref": "", "name": self.dealers[2].name}],
                             {"": {"rev_new": 5.0}})
        wizard = self.wizard(data)
        wizard.action_preview()
        self.assertFalse(wizard.ready, wizard.report)
        self.assertIn("matches 2 dealers; please add the customer number",
                      wizard.report)

    # --- issue 17.7: extra columns, plural, audit ------------------------------------

    def test_an_extra_column_is_ignored_with_a_note(self):
        dealer = self.dealers[0]
        inputs = [{"code": "rev_new", "name": self.inputs["rev_new"].name},
                  {"code": "remark", "name": "Bemerkung"}]
        data = self.workbook([{"ref": dealer.ref, "name": dealer.name}],
                             {dealer.ref: {"rev_new": 5.0, "remark": "gut"}},
                             inputs)
        wizard = self.wizard(data)
        wizard.action_preview()
        self.assertTrue(wizard.ready, wizard.report)
        self.assertIn("(Bemerkung) is not mapped to an input field and is "
                      "ignored", wizard.report)
        wizard.action_import()
        self.assertEqual(self.entry(dealer).value_ids.value, 5.0)

    def test_one_problem_is_singular_in_german(self):
        data = self.workbook([{"ref": "X-999", "name": "Niemand"}],
                             {"X-999": {"rev_new": 5.0}})
        wizard = self.wizard(data, self.german)
        wizard.action_preview()
        self.assertTrue(wizard.report.startswith(
            "1 Problem gefunden. Es wird nichts importiert, bis es behoben "
            "ist:"), wizard.report)

    def test_imported_entries_are_audited_like_a_save(self):
        dealer = self.dealers[0]
        data = self.workbook([{"ref": dealer.ref, "name": dealer.name}],
                             {dealer.ref: {"rev_new": 1234567.125}})
        wizard = self.wizard(data)
        wizard.action_preview()
        wizard.action_import()
        entry = self.entry(dealer)
        self.assertEqual(entry.state, "submitted")
        self.assertEqual(entry.last_saved_by_id, self.env.user)
        self.assertEqual(entry.submitted_by_id, self.env.user)
        self.assertTrue(entry.last_saved_on and entry.submitted_on)
        bodies = entry.message_ids.mapped("body")
        audit = [body for body in bodies if "bv1999.xlsx" in body]
        self.assertEqual(len(audit), 1, bodies)
        # Exact value, in the importer's (English) number format.
        self.assertIn("– → 1,234,567.125", audit[0])

    def test_percent_formatted_cells_are_imported_in_percent(self):
        margin = self.env["prm.benchmark.input"].create({
            "code": "t_margin_pct", "name": "T Marge", "unit": "percent",
            "section": "statistics", "required_for_submit": False})
        dealer = self.dealers[0]
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet()
        sheet.write_row(0, 0, ["Kundennummer", "Firma", "T Marge"])
        sheet.write_row(1, 0, [dealer.ref, dealer.name])
        sheet.write_number(1, 2, 0.125, workbook.add_format({"num_format": "0.0%"}))
        workbook.close()
        wizard = self.wizard(output.getvalue())
        wizard.action_preview()
        self.assertTrue(wizard.ready, wizard.report)
        wizard.action_import()
        value = self.entry(dealer).value_ids.filtered(
            lambda v: v.input_id == margin)
        self.assertEqual(value.value, 12.5)

    # --- issue 17.1 and 17.3: the save path and its audit trail -----------------------

    def test_audit_numbers_are_exact_and_in_the_writers_language(self):
        dealer = self.dealers[3]
        values = self.full_values(employees=25.875)
        engine = self.german["prm.benchmark.engine"]
        engine._save_entry(dealer, self.q1, values, version=0, submit=False)
        entry = self.entry(dealer)
        values[self.inputs["employees"].id] = 0.125
        engine._save_entry(dealer, self.q1, values, version=entry.version,
                           submit=False)
        last = entry.message_ids[0].body
        self.assertIn("25,875 → 0,125", last)
        self.assertNotIn("0.125", last)
        values[self.inputs["employees"].id] = 10.0
        engine._save_entry(dealer, self.q1, values, version=entry.version,
                           submit=False)
        self.assertIn("0,125 → 10<", entry.message_ids[0].body)

    def test_a_save_of_unchanged_values_writes_no_audit_line(self):
        dealer = self.dealers[4]
        values = self.full_values(employees=25.875)
        self.save(dealer, values, submit=False)
        entry = self.entry(dealer)
        messages = len(entry.message_ids)
        values[self.inputs["rev_new"].id] = 5.0
        self.save(dealer, values, submit=False)
        self.assertEqual(len(entry.message_ids), messages + 1)
        self.assertNotIn(self.inputs["employees"].name,
                         entry.message_ids[0].body)
        self.assertEqual(entry._values_by_code()["employees"], 25.875)

    def test_numbers_in_messages_follow_the_language(self):
        problem = ValidationProblem("%(label)s must be at most %(max)s",
                                    label="Mitarbeiter", max=5000.0)
        self.assertEqual(translated(problem, self.env),
                         "Mitarbeiter must be at most 5,000")
        self.assertIn("5.000", translated(problem, self.german))
        self.assertNotIn("5000.0", translated(problem, self.german))
        too_large = questionnaire.QuestionnaireError(
            "The file is larger than %(limit)s MB", limit=0.5)
        self.assertEqual(translated(too_large, self.german),
                         "Die Datei ist größer als 0,5 MB")
