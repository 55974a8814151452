from odoo import api, fields, models, _
from odoo.exceptions import ValidationError

from ..glue import as_validation_error
from ..lib import formula as formula_engine
from ..lib import units
from ..lib.staleness import KPI_FIELDS as KPI_STALE_FIELDS
from .benchmark_input import section_sequence

KPI_UNITS = units.selection()
KPI_SECTIONS = [
    ("revenue", "Revenue and growth"),
    ("productivity", "Productivity"),
    ("margin", "Margins and result"),
    ("capital", "Stock, backlog and receivables"),
    ("service", "Service and workshop"),
]
# Names every formula may use besides input and KPI codes.
BUILTIN_NAMES = {"period_days"}


class BenchmarkKpi(models.Model):
    """A key figure computed from a dealer's inputs by a formula."""

    _name = "prm.benchmark.kpi"
    _description = "Benchmark KPI"
    _order = "section_sequence, sequence, id"

    code = fields.Char(required=True, index=True)
    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    formula = fields.Char(
        required=True,
        help="Arithmetic over input and KPI codes: + - * / ( ), prev(code) for "
             "the previous year's value, min, max, abs, sum, coalesce, and "
             "period_days (days in the period).")
    unit = fields.Selection(KPI_UNITS, required=True, default="percent")
    higher_is_better = fields.Boolean(default=True)
    section = fields.Selection(KPI_SECTIONS, required=True, default="revenue")
    section_sequence = fields.Integer(
        compute="_compute_section_sequence", store=True)
    sequence = fields.Integer(default=10)
    # How the analysis page charts the KPI (lib.analysis_view.chart_list).
    chart_hint = fields.Selection([
        ("bar", "Section charts only"),
        ("line", "Own trend line"),
        ("line_quartiles", "Own trend line with quartiles"),
        ("line_combined", "Trend shared with the section's KPIs of the same unit"),
        ("bar_compare", "Bars shared with the section's KPIs of the same unit"),
        ("none", "No chart"),
    ], default="bar", help="Every charted KPI is in its section's comparison "
       "and position charts and in the profile; the hint adds its own chart.")
    chart_distribution = fields.Boolean(
        "Distribution chart",
        help="Show how the group's values are distributed (when the group is "
             "large enough for a histogram).")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "The KPI code must be unique."),
    ]

    @api.depends("section")
    def _compute_section_sequence(self):
        for kpi in self:
            kpi.section_sequence = section_sequence(KPI_SECTIONS, kpi.section)

    @api.constrains("code", "formula", "active")
    def _check_formula(self):
        input_codes = set(self.env["prm.benchmark.input"].with_context(
            active_test=False).search([]).mapped("code"))
        kpis = self.search([])
        for kpi in self:
            self.env["prm.benchmark.input"]._check_code_format(kpi.code)
            if kpi.code in input_codes:
                raise ValidationError(_(
                    "The KPI code '%s' is already used by an input field.") % kpi.code)
        known = input_codes | set(kpis.mapped("code")) | BUILTIN_NAMES
        parsed = {}
        for kpi in kpis | self.filtered("active"):
            try:
                parsed[kpi.code] = formula_engine.parse(kpi.formula or "")
                formula_engine.check_names(parsed[kpi.code], known)
            except formula_engine.FormulaError as error:
                raise ValidationError(_("KPI %s: %s") % (
                    kpi.name, _(error.template) % error.params))
        try:
            cycle = formula_engine.find_cycle(parsed)
        except formula_engine.FormulaError as error:
            raise as_validation_error(error)
        if cycle:
            raise ValidationError(
                _("Circular reference between KPIs: %s") % " -> ".join(cycle))

    # --- staleness of the statistics (lib.staleness) ----------------------------
    @api.model
    def create(self, vals):
        kpi = super().create(vals)
        self.env["prm.benchmark.engine"]._mark_stale("kpi_definition")
        return kpi

    def write(self, vals):
        fields_ = sorted(set(vals) & KPI_STALE_FIELDS)
        before = self.with_context(active_test=False).read(fields_) \
            if fields_ else []
        result = super().write(vals)
        # only a real change (a module update rewrites the same formulas)
        if fields_ and before != self.with_context(active_test=False).read(fields_):
            self.env["prm.benchmark.engine"]._mark_stale("kpi_definition")
        return result

    def unlink(self):
        result = super().unlink()
        self.env["prm.benchmark.engine"]._mark_stale("kpi_definition")
        return result

    @api.model
    def _parsed_formulas(self):
        """``{code: Formula}`` of all active KPIs (formulas are valid on save)."""
        return {kpi.code: formula_engine.parse(kpi.formula) for kpi in self.search([])}
