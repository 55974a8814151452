"""Blocking validation and non-blocking plausibility hints for one entry.

A field spec is a plain dict with the keys ``code``, ``label``,
``allow_negative`` (bool, default False), ``min_value`` and ``max_value``
(None or missing = unbounded) and ``unit`` (a key of ``UNIT_DECIMALS``).

Every value, typed into the portal form or imported from a questionnaire,
passes :func:`validate_value`: one rule for both.
"""
import decimal
import math

from .errors import Message, PrmError, _


#: Largest magnitude of a figure (exclusive): 15 integer digits, as many as
#: the form's number parser reads (``numbers.MAX_SIGNIFICANT_DIGITS``).
MAX_MAGNITUDE = 10.0 ** 15
#: Most decimals a figure may have, by unit. Four everywhere today: more
#: than any form or questionnaire needs (cents, averaged prices such as
#: 1,234,567.125, hundredths of a percent point, fractional counts such as
#: full-time equivalents) while a revenue of 0.0000000000000001 is refused
#: as the typo it is (it made a gross margin KPI of 1.2e21 %).
UNIT_DECIMALS = {
    "currency": 4, "count": 4, "area": 4, "percent": 4, "days": 4, "hours": 4}
DEFAULT_DECIMALS = 4


def decimals_of(value):
    """Number of decimals of ``value`` as written shortest (``repr``).

    ``value`` is a finite float; 12.5 gives 1, 1e-16 gives 16, 100.0 gives 0.
    """
    exponent = decimal.Decimal(repr(float(value))).normalize().as_tuple().exponent
    return max(0, -exponent)


class ValidationProblem(PrmError):
    """A value that must be corrected before the entry can be submitted."""


class PlausibilityHint(Message):
    """A value that looks odd; shown to the dealer but not blocking."""


def validate_value(value, field_spec):
    """Return a ValidationProblem for ``value`` or None if it is acceptable.

    A missing value (None) is not a problem here; whether a field is
    required is decided elsewhere. The problem is returned, not raised, so
    that all fields of a form can be checked at once.
    """
    if value is None:
        return None
    label = field_spec['label']
    if not math.isfinite(value):
        return ValidationProblem(
            _("%(label)s must be a finite number"), label=label)
    if abs(value) >= MAX_MAGNITUDE:
        return ValidationProblem(
            _("%(label)s is too large: at most %(max)s digits before the "
              "decimal separator"), label=label, max=15)
    allowed = UNIT_DECIMALS.get(field_spec.get('unit'), DEFAULT_DECIMALS)
    if decimals_of(value) > allowed:
        return ValidationProblem(
            _("%(label)s has too many decimals: at most %(max)s"),
            label=label, max=allowed)
    if value < 0 and not field_spec.get('allow_negative', False):
        return ValidationProblem(
            _("%(label)s must not be negative"), label=label)
    min_value = field_spec.get('min_value')
    if min_value is not None and value < min_value:
        return ValidationProblem(
            _("%(label)s must be at least %(min)s"), label=label, min=min_value)
    max_value = field_spec.get('max_value')
    if max_value is not None and value > max_value:
        return ValidationProblem(
            _("%(label)s must be at most %(max)s"), label=label, max=max_value)
    return None


def plausibility_hints(values, prev_values, field_specs, threshold=0.5):
    """Return [(code, PlausibilityHint)] comparing an entry with last period.

    ``values`` and ``prev_values`` map code -> number or None; hints follow
    the order of ``field_specs``. A hint is given when a value became zero
    although it was not zero before, or when it changed by more than
    ``threshold`` (0.5 = 50 %) relative to a non-zero previous value.
    Fields missing in either period get no hint.
    """
    if threshold < 0:
        raise ValueError('threshold must not be negative')
    hints = []
    if not prev_values:
        return hints
    for spec in field_specs:
        code = spec['code']
        current, previous = values.get(code), prev_values.get(code)
        if current is None or previous is None or previous == 0:
            continue
        if current == 0:
            hints.append((code, PlausibilityHint(
                _("%(label)s is zero although it had a value in the previous "
                  "period"),
                label=spec['label'])))
            continue
        change = (current - previous) / abs(previous)
        if abs(change) > threshold:
            hints.append((code, PlausibilityHint(
                _("%(label)s changed by %(change)s%% compared with the "
                  "previous period"),
                label=spec['label'], change='%+.0f' % (change * 100))))
    return hints
