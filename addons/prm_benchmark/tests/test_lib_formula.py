"""Tests of the KPI formula engine."""
import pytest
from hypothesis import given, settings, strategies as st

from ..lib.formula import (
    MAX_FORMULA_LENGTH, MAX_NESTING_DEPTH, FormulaError, check_names,
    evaluate_all, evaluation_order, find_cycle, parse,
)

FAST = settings(max_examples=200, deadline=None)


def evaluate(text, values=None, prev_values=None):
    return parse(text).evaluate(values or {}, prev_values)


@pytest.mark.parametrize('text, expected', [
    ('1 + 2 * 3', 7.0),
    ('(1 + 2) * 3', 9.0),
    ('10 - 4 - 3', 3.0),
    ('8 / 4 / 2', 1.0),
    ('2 * 3 / 4 * 2', 3.0),
    ('-2 * 3', -6.0),
    ('--2', 2.0),
    ('-+-2', 2.0),
    ('2 * -3', -6.0),
    ('+4', 4.0),
    ('.5 + 1.25', 1.75),
    ('12', 12.0),
    ('-(1 - 3)', 2.0),
    (' 1\n+\t2 ', 3.0),
])
def test_arithmetic_follows_usual_precedence(text, expected):
    assert evaluate(text) == expected


def test_codes_are_looked_up_in_values():
    formula = parse('(revenue - costs) / revenue * 100')
    assert formula.evaluate({'revenue': 200, 'costs': 150}) == 25.0
    assert formula.names == {'revenue', 'costs'}
    assert formula.prev_names == set()
    assert formula.text == '(revenue - costs) / revenue * 100'


def test_prev_reads_previous_period():
    formula = parse('(revenue - prev(revenue)) / prev(revenue)')
    assert formula.names == {'revenue'}
    assert formula.prev_names == {'revenue'}
    assert formula.evaluate({'revenue': 150}, {'revenue': 100}) == 0.5
    assert formula.evaluate({'revenue': 150}) is None
    assert formula.evaluate({'revenue': 150}, {'revenue': None}) is None


@pytest.mark.parametrize('text, values', [
    ('a + 1', {}),
    ('a + 1', {'a': None}),
    ('a / b', {'a': 1, 'b': 0}),
    ('a / (b - b)', {'a': 1, 'b': 3}),
    ('0 / 0', {}),
    ('a * a', {'a': 1e200}),
    ('1' + '0' * 400, {}),
    ('a + 1', {'a': float('inf')}),
    ('a + 1', {'a': float('nan')}),
    ('-a', {}),
    ('abs(a)', {}),
    ('min(1, a)', {}),
    ('max(a, 1)', {}),
    ('sum(a, b)', {}),
    ('coalesce(a, b)', {}),
    ('sum(a, b)', {'a': 1e308, 'b': 1e308}),
])
def test_missing_or_invalid_results_give_none(text, values):
    assert evaluate(text, values) is None


@pytest.mark.parametrize('text, expected', [
    ('min(3, a, 2)', 2.0),
    ('max(3, a, 2)', 5.0),
    ('min(7)', 7.0),
    ('abs(-a)', 5.0),
    ('abs(2 - a)', 3.0),
    ('sum(a, missing, 1)', 6.0),
    ('sum(0.1, 0.2, 0.3)', 0.6),
    ('coalesce(missing, a, 1)', 5.0),
    ('coalesce(missing, 1, a)', 1.0),
    ('max(0, missing - 1) + 1', None),
    ('sum(min(a, 2), max(a, 2)) * 2', 14.0),
])
def test_functions(text, expected):
    assert evaluate(text, {'a': 5, 'missing': None}) == expected


@pytest.mark.parametrize('text, template, params', [
    ('', "Empty formula", {}),
    ('  \n ', "Empty formula", {}),
    (None, "Empty formula", {}),
    ('a $ b', "Unexpected character '%(char)s' at position %(pos)s",
     {'char': '$', 'pos': 3}),
    ('Revenue', "Unexpected character '%(char)s' at position %(pos)s",
     {'char': 'R', 'pos': 1}),
    ('1.2.3', "Missing operator before '%(token)s' at position %(pos)s",
     {'token': '.3', 'pos': 4}),
    ('a b', "Missing operator before '%(token)s' at position %(pos)s",
     {'token': 'b', 'pos': 3}),
    ('a, b', "Unexpected '%(token)s' at position %(pos)s",
     {'token': ',', 'pos': 2}),
    ('a + * b', "Expected a number, a code or '(' at position %(pos)s "
     "but found '%(token)s'", {'token': '*', 'pos': 5}),
    ('a +', "Formula ends unexpectedly", {}),
    ('()', "Expected a number, a code or '(' at position %(pos)s "
     "but found '%(token)s'", {'token': ')', 'pos': 2}),
    ('(a + b', "Missing closing parenthesis for '(' at position %(pos)s",
     {'pos': 1}),
    ('max(a, (b)', "Missing closing parenthesis for '(' at position %(pos)s",
     {'pos': 4}),
    ('prev(a', "Missing closing parenthesis for '(' at position %(pos)s",
     {'pos': 5}),
    ('a + b)', "Unmatched closing parenthesis at position %(pos)s",
     {'pos': 6}),
    ('(a b)', "Expected ')' at position %(pos)s but found '%(token)s'",
     {'pos': 4, 'token': 'b'}),
    ('min(a b)', "Expected ',' or ')' at position %(pos)s but found '%(token)s'",
     {'pos': 7, 'token': 'b'}),
    ('avg(a, b)', "Unknown function '%(name)s' at position %(pos)s",
     {'name': 'avg', 'pos': 1}),
    ("__import__(os)", "Unknown function '%(name)s' at position %(pos)s",
     {'name': '__import__', 'pos': 1}),
    ("__import__('os')", "Unexpected character '%(char)s' at position %(pos)s",
     {'char': "'", 'pos': 12}),
    ('prev(a + b)', "prev() takes exactly one input code", {}),
    ('prev(a, b)', "prev() takes exactly one input code", {}),
    ('prev()', "prev() takes exactly one input code", {}),
    ('prev(1)', "prev() takes exactly one input code", {}),
    ('prev(prev(a))', "prev() takes exactly one input code", {}),
    ('abs(a, b)', "abs() takes exactly one argument", {}),
    ('abs()', "abs() takes exactly one argument", {}),
    ('coalesce()', "%(name)s() needs at least one argument",
     {'name': 'coalesce'}),
    ('a' * (MAX_FORMULA_LENGTH + 1),
     "Formula is too long (at most %(max)s characters)",
     {'max': MAX_FORMULA_LENGTH}),
    ('(' * 51 + 'a' + ')' * 51,
     "Formula is nested too deeply at position %(pos)s "
     "(at most %(max)s levels)", {'pos': 51, 'max': MAX_NESTING_DEPTH}),
])
def test_parse_errors_name_problem_and_position(text, template, params):
    with pytest.raises(FormulaError) as info:
        parse(text)
    assert info.value.template == template
    assert info.value.params == params


def test_error_text_is_formatted_english():
    with pytest.raises(FormulaError) as info:
        parse('a ? b')
    assert str(info.value) == "Unexpected character '?' at position 3"


def test_limits_allow_formulas_just_inside():
    nested = '(' * MAX_NESTING_DEPTH + 'a' + ')' * MAX_NESTING_DEPTH
    assert evaluate(nested, {'a': 4}) == 4.0
    # A long flat sum must not hit Python's recursion limit.
    long_sum = '+'.join(['a'] * ((MAX_FORMULA_LENGTH + 1) // 2))
    assert len(long_sum) <= MAX_FORMULA_LENGTH
    assert evaluate(long_sum, {'a': 1}) == 1000.0
    many_signs = '-' * (MAX_FORMULA_LENGTH - 1) + 'a'
    assert evaluate(many_signs, {'a': 2}) == -2.0


def test_check_names_reports_unknown_code():
    formula = parse('a + prev(zeta) + prev(b)')
    check_names(formula, {'a', 'b', 'zeta'})
    with pytest.raises(FormulaError) as info:
        check_names(formula, ['a', 'c'])
    assert info.value.template == "Unknown code '%(name)s'"
    assert info.value.params == {'name': 'b'}


def test_evaluate_all_follows_dependencies():
    # Deliberately listed in reverse dependency order.
    formulas = {
        'margin_pct': parse('margin / revenue * 100'),
        'margin': parse('revenue - costs'),
        'growth': parse('(margin_pct - prev(margin_pct)) / prev(margin_pct)'),
        'revenue_per_head': parse('revenue / employees'),
    }
    results = evaluate_all(
        formulas,
        {'revenue': 400, 'costs': 300, 'employees': 0},
        {'margin_pct': 20.0},
    )
    assert results == {
        'margin': 100.0,
        'margin_pct': 25.0,
        'growth': 0.25,
        'revenue_per_head': None,
    }


def test_evaluate_all_propagates_missing_values():
    formulas = {'b': parse('a * 2'), 'c': parse('coalesce(b, 7)')}
    assert evaluate_all(formulas, {}) == {'b': None, 'c': 7.0}


def test_find_cycle():
    assert find_cycle({'a': parse('b + 1'), 'b': parse('c'),
                       'c': parse('x')}) is None
    assert find_cycle({'a': parse('b + prev(a)')}) is None
    assert find_cycle({'x': parse('x + 1')}) == ['x']
    formulas = {
        'z': parse('c'),
        'c': parse('b * 2'),
        'b': parse('d - 1'),
        'd': parse('c + a'),
        'a': parse('1'),
    }
    assert find_cycle(formulas) == ['b', 'd', 'c']


def test_evaluate_all_rejects_circular_reference():
    formulas = {'a': parse('b + 1'), 'b': parse('a + 1'), 'c': parse('1')}
    with pytest.raises(FormulaError) as info:
        evaluate_all(formulas, {})
    assert info.value.template == "Circular reference: %(cycle)s"
    assert str(info.value) == "Circular reference: a -> b -> a"


def test_evaluation_order_computed_once_gives_the_same_results():
    formulas = {
        'margin_pct': parse('margin / revenue * 100'),
        'margin': parse('revenue - costs'),
        'growth': parse('(margin_pct - prev(margin_pct)) / prev(margin_pct)'),
    }
    order = evaluation_order(formulas)
    assert order.index('margin') < order.index('margin_pct') < order.index('growth')
    for values in ({'revenue': 400, 'costs': 300}, {'revenue': 0, 'costs': 1}, {}):
        assert evaluate_all(formulas, values, {'margin_pct': 20.0}, order=order) \
            == evaluate_all(formulas, values, {'margin_pct': 20.0})


def test_evaluation_order_rejects_circular_reference():
    with pytest.raises(FormulaError) as info:
        evaluation_order({'a': parse('b + 1'), 'b': parse('a + 1')})
    assert str(info.value) == "Circular reference: a -> b -> a"


# --- generated formulas -------------------------------------------------------

VALUES = {'a': 3.0, 'b': -2.0, 'c': 0.0, 'n': None}


def _combine(operator):
    def build(pair):
        (left_text, left), (right_text, right) = pair
        text = '(%s %s %s)' % (left_text, operator, right_text)
        if left is None or right is None:
            return text, None
        if operator == '/':
            return text, (left / right if right else None)
        return text, {'+': left + right, '-': left - right,
                      '*': left * right}[operator]
    return build


LEAVES = st.one_of(
    st.integers(0, 99).map(lambda number: (str(number), float(number))),
    st.sampled_from(sorted(VALUES)).map(lambda name: (name, VALUES[name])),
)
EXPRESSIONS = st.recursive(
    LEAVES,
    lambda children: st.one_of([
        st.tuples(children, children).map(_combine(operator))
        for operator in '+-*/'
    ] + [children.map(lambda child: ('-%s' % child[0],
                                     None if child[1] is None else -child[1]))]),
    max_leaves=20,
)


@FAST
@given(EXPRESSIONS)
def test_generated_expressions_match_python_arithmetic(expression):
    text, expected = expression
    assert evaluate(text, VALUES) == expected


@FAST
@given(st.one_of(
    st.text(max_size=60),
    st.text(alphabet='abcprevminxsu0123456789.+-*/(), _', max_size=60),
))
def test_random_text_only_raises_formula_error(text):
    try:
        formula = parse(text)
    except FormulaError:
        return
    values = dict.fromkeys(formula.names, 1.5)
    prev_values = dict.fromkeys(formula.prev_names, 0.0)
    result = formula.evaluate(values, prev_values)
    assert result is None or isinstance(result, float)


def test_ratio_by_a_nearly_zero_figure_has_no_value():
    """Reviewer: revenue 1e-16 made a gross margin KPI of 1.2e21 %."""
    assert evaluate('(a - b) / a * 100', {'a': 1e-16, 'b': -1.2e3}) is None
    assert evaluate('(a - b) / a * 100', {'a': 200.0, 'b': 150.0}) == 25.0
