"""The one unit catalogue: label, decimals shown and Excel format per unit.

Decimals follow the unit, never the value: a currency amount is shown
without cents whether it is 945.298,60 or 652.667; a ratio or percentage
with one decimal. Values in ``percent`` are already in percent units.
"""
from collections import OrderedDict

from .errors import _

# code: (label, decimals, Excel suffix, thousands grouping in Excel)
UNITS = OrderedDict([
    ("currency", (_("Currency"), 0, ' "€"', True)),
    ("per_employee", (_("Currency per employee"), 0, ' "€"', True)),
    ("percent", (_("%"), 1, ' "%"', False)),
    ("ratio", (_("Ratio"), 1, '', False)),
    ("days", (_("Days"), 1, '', False)),
    ("months", (_("Months"), 1, '', False)),
    ("count", (_("Count"), 0, '', True)),
    ("hours", (_("Hours"), 1, '', True)),
    ("area", (_("m²"), 0, ' "m²"', True)),
])
DEFAULT_UNIT = "count"


def decimals(unit):
    """Decimals shown for ``unit`` (unknown units: those of ``count``)."""
    return UNITS.get(unit, UNITS[DEFAULT_UNIT])[1]


def excel_format(unit):
    """Excel number format with the unit's decimals, e.g. ``0.0 "%"``."""
    _label, places, suffix, grouped = UNITS[unit]
    return ("#,##0" if grouped else "0") + (
        "." + "0" * places if places else "") + suffix


def selection():
    """``[(code, label)]`` for a selection field."""
    return [(code, spec[0]) for code, spec in UNITS.items()]
