"""Issue 17, "Done when": every input unit round-trips through form ->
storage -> form and through the product's export -> questionnaire import
without change (property test).

Form: the edit field's text (``format_exact``) typed back (``parse_number``),
checked by the one rule for values (``validate_value``), stored in
PostgreSQL through ``prm.benchmark.value`` and read back from the database;
the field shows the same text again and an untouched field keeps the stored
float (``parse_edited``). Export -> import: the network export
(``write_network_export``) of inputs of that unit read by the questionnaire
import gives the stored floats.
"""
import io

from hypothesis import HealthCheck, given, settings, strategies as st

from ..lib.numbers import format_exact, parse_edited, parse_number
from ..lib.plausibility import UNIT_DECIMALS, validate_value
from ..lib.questionnaire import parse, read_rows, suggest_mapping
from ..lib.xlsx_export import write_network_export
from .common import BenchmarkCase

GERMAN = {"decimal_point": ",", "thousands_sep": "."}
ENGLISH = {"decimal_point": ".", "thousands_sep": ","}
# The units an input can have (KPIs have more, e.g. months, ratio).
UNITS = sorted(UNIT_DECIMALS)
SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@st.composite
def typed_values(draw, unit):
    """A value a user may enter in ``unit``: at most the unit's decimals and
    15 significant digits, any sign."""
    decimals = UNIT_DECIMALS[unit]
    digits = draw(st.integers(1, 15))
    units_part = draw(st.integers(-(10 ** digits - 1), 10 ** digits - 1))
    scale = draw(st.integers(0, min(decimals, digits - 1)))
    return float("%.*f" % (scale, units_part / 10 ** scale))


class TestEveryUnitRoundTrips(BenchmarkCase):

    def input_of(self, unit):
        found = [i for i in self.inputs.values() if i.unit == unit]
        if found:
            return found[0]
        return self.env["prm.benchmark.input"].create({
            "code": "t_rt_%s" % unit, "name": "T round trip %s" % unit,
            "unit": unit})

    def stored(self, entry, field, value):
        """``value`` written through the ORM and read back from PostgreSQL."""
        record = self.env["prm.benchmark.value"].search([
            ("entry_id", "=", entry.id), ("input_id", "=", field.id)])
        if record:
            record.value = value
        else:
            record = record.create({"entry_id": entry.id, "input_id": field.id,
                                    "value": value})
        # Odoo 11 writes stored fields at once: the row is in the database.
        self.env.cr.execute("SELECT value FROM prm_benchmark_value WHERE id = %s",
                            [record.id])
        return self.env.cr.fetchone()[0]

    def test_form_storage_form(self):
        entry = self.env["prm.benchmark.entry"].create({
            "partner_id": self.dealers[0].id, "period_id": self.q1.id})
        for unit in UNITS:
            field = self.input_of(unit)
            spec = {"code": field.code, "label": field.name, "unit": unit,
                    "allow_negative": True}

            @SETTINGS
            @given(typed_values(unit), st.sampled_from([GERMAN, ENGLISH]))
            def round_trip(value, locale):
                shown = format_exact(value, **locale)
                typed = parse_number(shown, **locale)
                self.assertEqual(typed, value, shown)
                self.assertIsNone(validate_value(typed, spec), (unit, shown))
                stored = self.stored(entry, field, typed)
                self.assertEqual(stored, value, (unit, shown))
                self.assertEqual(format_exact(stored, **locale), shown)
                self.assertEqual(parse_edited(shown, stored, **locale), stored)

            round_trip()

    def test_export_import(self):
        for unit in UNITS:
            inputs = [{"code": "x", "name": "Wert", "unit": unit}]
            specs = {"x": {"code": "x", "label": "Wert", "unit": unit,
                           "allow_negative": True}}

            @SETTINGS
            @given(st.lists(typed_values(unit), min_size=1, max_size=5))
            def round_trip(values):
                rows = [{"ref": "R%03d" % index, "name": "Händler %d" % index,
                         "territory": "Nord", "tier": "A", "size_class": "B",
                         "state": "submitted", "inputs": {"x": value},
                         "kpis": {}} for index, value in enumerate(values)]
                output = io.BytesIO()
                write_network_export(
                    {"title": "Netz", "period": "2019", "generated": "01.03.2020"},
                    inputs, [], iter(rows), iter([]), iter([]), output)
                data = output.getvalue()
                mapping = suggest_mapping(read_rows(data)[0], inputs)
                ids = {row["ref"]: index for index, row in enumerate(rows)}
                plan = parse(data, mapping, lambda ref, name: ids.get(ref), specs)
                self.assertTrue(plan.ok, plan.problems)
                self.assertEqual([row["values"]["x"] for row in plan.rows], values,
                                 unit)

            round_trip()
