import base64
import json

from odoo import api, fields, models, _
from odoo.exceptions import AccessError, UserError
from odoo.tools import html_escape

from ..glue import translated
from ..lib import questionnaire


class BenchmarkImportWizard(models.TransientModel):
    """Import a historical Excel questionnaire (one workbook = one period).

    Dry run first: every problem is listed with row and column and nothing
    is stored; the import itself is all-or-nothing, and importing the same
    file again changes nothing.
    """

    _name = "prm.benchmark.import.wizard"
    _description = "Import historical questionnaire"

    period_id = fields.Many2one("prm.benchmark.period", required=True)
    file = fields.Binary(string="Questionnaire (.xlsx)", required=True)
    filename = fields.Char()
    mapping_id = fields.Many2one(
        "prm.benchmark.import.mapping", string="Saved column mapping",
        default=lambda self: self.env["prm.benchmark.import.mapping"].search(
            [], limit=1))
    state = fields.Selection([("upload", "Upload"), ("preview", "Preview"),
                              ("done", "Done")], default="upload")
    report = fields.Text(readonly=True)
    ready = fields.Boolean(readonly=True)

    @api.model
    def create(self, vals):
        self._check_file_given(vals, creating=True)
        return super().create(vals)

    @api.multi
    def write(self, vals):
        self._check_file_given(vals)
        return super().write(vals)

    @api.model
    def _check_file_given(self, vals, creating=False):
        """UserError instead of the database's NOT NULL error for no file."""
        if (creating or "file" in vals) and not vals.get("file"):
            raise UserError(_("Please choose the questionnaire file (.xlsx) "
                              "to import."))

    def _check_head_office(self):
        # Transient models carry no access rights of their own: check here.
        if not self.env.user._prm_is_head_office():
            raise AccessError(_("Only head office may import questionnaires."))

    def _data(self):
        return base64.b64decode(self.file or b"")

    def _input_specs(self):
        inputs = self.env["prm.benchmark.input"].search([])
        return inputs, {i.code: i._field_spec() for i in inputs}

    def _find_dealer(self):
        dealers = self.env["res.partner"].search([("prm_is_dealer", "=", True)])
        return questionnaire.make_dealer_finder(
            (d.id, d.ref, d.name) for d in dealers)

    def _plan(self):
        """Parse the file with the saved and suggested mapping."""
        data = self._data()
        try:
            questionnaire.check_file(data)
            headers, _rows = questionnaire.read_rows(data)
        except questionnaire.QuestionnaireError as error:
            raise UserError(translated(error, self.env))
        inputs, specs = self._input_specs()
        mapping = questionnaire.suggest_mapping(
            headers, [{"code": i.code, "name": i.name} for i in inputs])
        saved = self.mapping_id._headers() if self.mapping_id else {}
        for index, header in enumerate(headers):
            key = questionnaire.normalize_header(header or "")
            if key in saved and index in mapping["columns"]:
                mapping["columns"][index] = saved[key]
        try:
            plan = questionnaire.parse(data, mapping, self._find_dealer(), specs)
        except questionnaire.QuestionnaireError as error:
            raise UserError(translated(error, self.env))
        return headers, mapping, plan

    def _save_mapping(self, headers, mapping):
        content = json.dumps({
            questionnaire.normalize_header(headers[int(index)] or ""): code
            for index, code in mapping["columns"].items()
            if int(index) < len(headers)}, sort_keys=True)
        if self.mapping_id:
            self.mapping_id.mapping_json = content
        else:
            self.mapping_id = self.env["prm.benchmark.import.mapping"].create(
                {"name": self.filename or _("Questionnaire"), "mapping_json": content})

    def _changes(self, plan):
        """(new, changed, unchanged) counts of the plan against stored figures."""
        Value = self.env["prm.benchmark.value"]
        codes = {i.code: i.id for i in self.env["prm.benchmark.input"].search([])}
        existing = {(v.partner_id.id, v.input_id.id): v.value for v in Value.search(
            [("period_id", "=", self.period_id.id)])}
        new = changed = unchanged = 0
        for row in plan.rows:
            for code, value in row["values"].items():
                old = existing.get((row["dealer_id"], codes[code]))
                if old is None:
                    new += 1
                elif abs(old - value) > 1e-9:
                    changed += 1
                else:
                    unchanged += 1
        return new, changed, unchanged

    def action_preview(self):
        self.ensure_one()
        self._check_head_office()
        headers, mapping, plan = self._plan()
        lines = []
        if plan.ok:
            # Only a clean file's columns are remembered: a refused upload
            # stores nothing, not even its headers.
            self._save_mapping(headers, mapping)
            new, changed, unchanged = self._changes(plan)
            # "Label: number" needs no plural forms.
            lines.append(_("Dealers: %(rows)s; figures new: %(new)s, changed: "
                           "%(changed)s, unchanged: %(same)s.") % {
                "rows": len(plan.rows), "new": new, "changed": changed,
                "same": unchanged})
        else:
            count = len(plan.problems)
            lines.append(_("%s problem found. Nothing will be imported until it "
                           "is fixed:") % count if count == 1 else
                         _("%s problems found. Nothing will be imported until "
                           "they are fixed:") % count)
            lines.extend(self._problem_line(problem) for problem in plan.problems)
        if plan.notices:
            lines.append(_("Notes:"))
            lines.extend(self._problem_line(notice) for notice in plan.notices)
        self.write({"state": "preview", "report": "\n".join(lines),
                    "ready": plan.ok})
        return self._reopen()

    def _problem_line(self, problem):
        where = ", ".join(filter(None, [
            _("row %s") % problem.row if problem.row else "",
            _("column %s") % problem.column if problem.column else ""]))
        return "%s%s" % ("[%s] " % where if where else "",
                         translated(problem.message, self.env))

    def _audit(self, entry, changes, created):
        """Who imported what into ``entry``, as a save in the form records it."""
        now = fields.Datetime.now()
        stamp = {"last_saved_by_id": self.env.uid, "last_saved_on": now}
        if created:
            stamp.update({"submitted_by_id": self.env.uid, "submitted_on": now})
        entry.write(stamp)
        engine = self.env["prm.benchmark.engine"]
        body = html_escape(_("Imported from the questionnaire %s.")
                           % (self.filename or ""))
        if changes:
            body = "%s %s" % (body, engine._changes_html(changes))
        entry.message_post(
            body=body,
            author_id=self.env.user.partner_id.id, subtype="mail.mt_note")

    def action_import(self):
        self.ensure_one()
        self._check_head_office()
        _headers, _mapping, plan = self._plan()
        if not plan.ok:
            raise UserError(_("The file has problems; run the preview to see "
                              "them. Nothing was imported."))
        if self.period_id.state != "open":
            raise UserError(_("Open the period before importing into it."))
        new, changed, _unchanged = self._changes(plan)
        codes = {i.code: i.id for i in self.env["prm.benchmark.input"].search([])}
        engine = self.env["prm.benchmark.engine"]
        touched = self.env["prm.benchmark.entry"]
        with self.env.cr.savepoint():
            for row in plan.rows_to_apply():
                entry = self.env["prm.benchmark.entry"].search([
                    ("partner_id", "=", row["dealer_id"]),
                    ("period_id", "=", self.period_id.id)])
                created = not entry
                if created:
                    entry = entry.create({"partner_id": row["dealer_id"],
                                          "period_id": self.period_id.id,
                                          "state": "submitted"})
                values = {codes[code]: value for code, value in row["values"].items()}
                changes = engine._write_values(entry, values)
                if changes or created:
                    self._audit(entry, changes, created)
                if changes or not entry.kpi_value_ids:
                    touched |= entry
            if touched:
                # next year's growth KPIs compare with these figures
                engine._compute_kpis(
                    touched | engine._next_year_entries(touched))
                # revenue-band memberships follow the imported figures
                engine._entries_changed(touched, "import")
        self.write({"state": "done", "report": _(
            "Import finished. Entries: %(entries)s; figures new: %(new)s, "
            "changed: %(changed)s.") % {"new": new, "changed": changed,
                                        "entries": len(touched)}})
        return self._reopen()

    def _reopen(self):
        return {"type": "ir.actions.act_window", "res_model": self._name,
                "res_id": self.id, "view_mode": "form", "target": "new"}
