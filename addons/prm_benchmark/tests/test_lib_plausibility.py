"""Tests of entry validation, plausibility hints and the message classes."""
import pytest
from hypothesis import given, settings, strategies as st

from ..lib.errors import Message, PrmError
from ..lib.plausibility import (
    PlausibilityHint, ValidationProblem, plausibility_hints, validate_value,
)

FAST = settings(max_examples=200, deadline=None)

REVENUE = {'code': 'revenue', 'label': 'Revenue', 'allow_negative': False,
           'min_value': None, 'max_value': None}
PROFIT = {'code': 'profit', 'label': 'Profit', 'allow_negative': True,
          'min_value': None, 'max_value': None}
SHARE = {'code': 'share', 'label': 'Service share', 'allow_negative': False,
         'min_value': 0, 'max_value': 100}
EMPLOYEES = {'code': 'employees', 'label': 'Employees', 'allow_negative': False,
             'min_value': 1, 'max_value': None}


def test_prm_error_keeps_template_and_params():
    error = PrmError("%(label)s must be at least %(min)s", label='X', min=2)
    assert error.template == "%(label)s must be at least %(min)s"
    assert error.params == {'label': 'X', 'min': 2}
    assert str(error) == "X must be at least 2"
    assert str(PrmError("100%% sure")) == "100% sure"


def test_message_equality_and_text():
    hint = Message("%(label)s is odd", label='Revenue')
    assert str(hint) == "Revenue is odd"
    assert hint == Message("%(label)s is odd", label='Revenue')
    assert hint != Message("%(label)s is odd", label='Profit')
    assert hint != PlausibilityHint("%(label)s is odd", label='Revenue')


@pytest.mark.parametrize('value, spec', [
    (None, REVENUE),
    (0, REVENUE),
    (1e9, REVENUE),
    (-1e9, PROFIT),
    (0, SHARE),
    (100, SHARE),
    (1, EMPLOYEES),
])
def test_acceptable_values(value, spec):
    assert validate_value(value, spec) is None


@pytest.mark.parametrize('value, spec, text', [
    (-0.01, REVENUE, "Revenue must not be negative"),
    (-1, SHARE, "Service share must not be negative"),
    (100.5, SHARE, "Service share must be at most 100"),
    (0, EMPLOYEES, "Employees must be at least 1"),
    (float('inf'), PROFIT, "Profit must be a finite number"),
])
def test_validation_problems(value, spec, text):
    problem = validate_value(value, spec)
    assert isinstance(problem, ValidationProblem)
    assert str(problem) == text
    assert problem.params['label'] == spec['label']


def test_validation_problem_params_for_translation():
    problem = validate_value(150, SHARE)
    assert problem.template == "%(label)s must be at most %(max)s"
    assert problem.params == {'label': 'Service share', 'max': 100}


def test_missing_spec_keys_mean_no_negatives_and_no_bounds():
    spec = {'code': 'x', 'label': 'X'}
    assert validate_value(1e12, spec) is None
    assert str(validate_value(-1, spec)) == "X must not be negative"


SPECS = [REVENUE, PROFIT, SHARE, EMPLOYEES]


def test_hints_for_large_changes_and_drops_to_zero():
    values = {'revenue': 160, 'profit': -10, 'share': 0, 'employees': 12}
    previous = {'revenue': 100, 'profit': 20, 'share': 30, 'employees': 10}
    hints = plausibility_hints(values, previous, SPECS)
    assert [(code, str(hint)) for code, hint in hints] == [
        ('revenue', "Revenue changed by +60% compared with the previous period"),
        ('profit', "Profit changed by -150% compared with the previous period"),
        ('share', "Service share is zero although it had a value in the "
                  "previous period"),
    ]
    assert all(isinstance(hint, PlausibilityHint) for __, hint in hints)
    assert hints[0][1].template == (
        "%(label)s changed by %(change)s%% compared with the previous period")
    assert hints[0][1].params == {'label': 'Revenue', 'change': '+60'}


def test_change_relative_to_negative_previous_value():
    # From -100 to -20 is an improvement by 80 % of the previous magnitude.
    hints = plausibility_hints({'profit': -20}, {'profit': -100}, [PROFIT])
    assert str(hints[0][1]) == (
        "Profit changed by +80% compared with the previous period")


@pytest.mark.parametrize('current, previous', [
    (150, 100),    # exactly the threshold is still fine
    (50, 100),
    (None, 100),   # not entered
    (100, None),   # no previous value
    (5, 0),        # no base to compare with
    (0, 0),
])
def test_no_hint(current, previous):
    assert plausibility_hints(
        {'revenue': current}, {'revenue': previous}, [REVENUE]) == []


def test_no_previous_period_gives_no_hints():
    assert plausibility_hints({'revenue': 5}, None, SPECS) == []
    assert plausibility_hints({'revenue': 5}, {}, SPECS) == []


def test_threshold_is_configurable():
    values, previous = {'revenue': 111}, {'revenue': 100}
    assert plausibility_hints(values, previous, [REVENUE], threshold=0.1)
    assert not plausibility_hints(values, previous, [REVENUE], threshold=0.2)


@FAST
@given(st.floats(-1e9, 1e9), st.floats(-1e9, 1e9), st.floats(0, 3))
def test_hint_exactly_when_change_exceeds_threshold(
        current, previous, threshold):
    hints = plausibility_hints(
        {'revenue': current}, {'revenue': previous}, [REVENUE], threshold)
    if previous == 0:
        expected = False
    elif current == 0:
        expected = True
    else:
        expected = abs(current - previous) / abs(previous) > threshold
    assert bool(hints) is expected
    assert len(hints) <= 1


@pytest.mark.parametrize('value, unit, template', [
    (1e308, 'currency', "%(label)s is too large: at most %(max)s digits "
                        "before the decimal separator"),
    (-1e15, 'currency', "%(label)s is too large: at most %(max)s digits "
                        "before the decimal separator"),
    (1e-16, 'currency', "%(label)s has too many decimals: at most %(max)s"),
    (12.34567, 'percent', "%(label)s has too many decimals: at most %(max)s"),
    (999999999999999.0, 'currency', None),
    (0.01, 'currency', None),
    (1234567.125, 'currency', None),
    (2.5, 'count', None),
])
def test_one_bound_and_precision_for_every_figure(value, unit, template):
    """Reviewer: revenue 0,0000000000000001 gave a gross margin of 1.2e21 %."""
    spec = {'code': 'rev', 'label': 'Umsatz', 'unit': unit,
            'allow_negative': True}
    problem = validate_value(value, spec)
    assert (problem.template if problem else None) == template
