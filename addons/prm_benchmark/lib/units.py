"""The one unit catalogue: label, decimals shown and Excel format per unit.

Decimals follow the unit, never the value: a currency amount is shown
without cents whether it is 945.298,60 or 652.667; a ratio or percentage
with one decimal. Values in ``percent`` are already in percent units.
"""
from collections import OrderedDict

from .errors import _

# code: (label, decimals, Excel suffix)
UNITS = OrderedDict([
    ("currency", (_("Currency"), 0, ' "€"')),
    ("per_employee", (_("Currency per employee"), 0, ' "€"')),
    ("percent", (_("%"), 1, ' "%"')),
    ("ratio", (_("Ratio"), 1, '')),
    ("days", (_("Days"), 0, '')),
    ("months", (_("Months"), 1, '')),
    ("count", (_("Count"), 1, '')),
    ("hours", (_("Hours"), 1, '')),
    ("area", (_("m²"), 0, ' "m²"')),
])
DEFAULT_UNIT = "count"


def decimals(unit):
    """Decimals shown for ``unit`` (unknown units: those of ``count``)."""
    return UNITS.get(unit, UNITS[DEFAULT_UNIT])[1]


def excel_format(unit):
    """Excel number format with the unit's decimals, e.g. ``#,##0.0 "%"``."""
    places = decimals(unit)
    return "#,##0" + ("." + "0" * places if places else "") + UNITS[unit][2]


def selection():
    """``[(code, label)]`` for a selection field."""
    return [(code, spec[0]) for code, spec in UNITS.items()]
