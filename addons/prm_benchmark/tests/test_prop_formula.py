"""Property-based tests of the KPI formula engine with hostile input."""
import math
import re

from hypothesis import given, strategies as st

from ..lib.formula import (
    FUNCTIONS, MAX_FORMULA_LENGTH, MAX_NESTING_DEPTH, FormulaError,
    evaluate_all, find_cycle, parse,
)
from .prop_common import NASTY_TEXT, assert_clear_error

CODES = ('a', 'b', 'rev_new', 'x1')
ANY_FLOAT = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True),
                      st.floats(-1e300, 1e300), st.integers(-10 ** 6, 10 ** 6))
TOKENS = st.sampled_from(CODES + FUNCTIONS + (
    '(', ')', ',', '+', '-', '*', '/', '1', '0', '.5', '2.', '1e5', ' ',
    'prev(a)', 'unknown(', '\u00a0', '\t', '9' * 400))


def parse_or_error(text):
    """The Formula for ``text``, or None after checking the refusal."""
    try:
        return parse(text)
    except FormulaError as error:
        assert_clear_error(error, FormulaError)
        return None
    # Anything else (RecursionError, IndexError, ...) fails the test.


def check_evaluates_safely(formula, values):
    result = formula.evaluate(values, values)
    assert result is None or (isinstance(result, float)
                              and math.isfinite(result)), result


@given(st.one_of(
    NASTY_TEXT,
    st.lists(TOKENS, max_size=60).map(''.join),
    st.lists(TOKENS, max_size=60).map(' '.join),
), st.dictionaries(st.sampled_from(CODES), ANY_FLOAT))
def test_hostile_text_is_refused_clearly_or_evaluates_to_finite(text, values):
    formula = parse_or_error(text)
    if formula is not None:
        check_evaluates_safely(formula, values)


@given(st.integers(0, 3 * MAX_NESTING_DEPTH),
       st.sampled_from(['(', 'abs(', 'min(a,', 'sum(', '-(', 'coalesce(']),
       st.booleans())
def test_deep_nesting_is_refused_before_the_stack_runs_out(depth, opening,
                                                           closed):
    text = opening * depth + 'a' + (')' * depth if closed else '')
    formula = parse_or_error(text)
    if formula is None:
        return
    # Only well-formed formulas within the nesting limit are accepted.
    assert depth == 0 or (closed and depth <= MAX_NESTING_DEPTH)
    check_evaluates_safely(formula, {'a': 2.0})


@given(st.integers(MAX_FORMULA_LENGTH - 5, 20 * MAX_FORMULA_LENGTH),
       st.sampled_from(['a+', '-', '1*', '(', ' ']))
def test_very_long_formulas_are_refused_with_a_limit_message(length, unit):
    text = (unit * length)[:length] + 'a'
    formula = parse_or_error(text)
    if len(text) > MAX_FORMULA_LENGTH:
        assert formula is None
        try:
            parse(text)
        except FormulaError as error:
            assert error.params == {'max': MAX_FORMULA_LENGTH}


# --- round trip: a syntax tree rendered as text parses back to the same value


def _leaf():
    return st.one_of(
        st.integers(0, 10 ** 6).map(lambda n: (str(n), float(n))),
        st.sampled_from(CODES).map(lambda code: (code, code)),
    )


def _node(children):
    return st.one_of(
        st.tuples(st.sampled_from('+-*/'), children, children).map(
            lambda t: (t[0], t[1], t[2])),
        children.map(lambda child: ('neg', child)),
        st.tuples(st.sampled_from(['min', 'max', 'sum', 'coalesce']),
                  st.lists(children, min_size=1, max_size=4)).map(
            lambda t: ('call', t[0], tuple(t[1]))),
        children.map(lambda child: ('call', 'abs', (child,))),
    )


TREES = st.recursive(_leaf(), _node, max_leaves=25)
SPACES = st.sampled_from(['', ' ', '  ', '\t', '\n'])


def render(tree, space):
    """Fully parenthesised text of ``tree`` with ``space`` between tokens."""
    if len(tree) == 2 and tree[0] != 'neg':
        return tree[0]
    if tree[0] == 'neg':
        return '-%s(%s%s%s)' % (space, space, render(tree[1], space), space)
    if tree[0] == 'call':
        args = (space + ',' + space).join(render(arg, space)
                                          for arg in tree[2])
        return '%s(%s%s%s)' % (tree[1], space, args, space)
    operator, left, right = tree
    return '(%s%s%s%s%s)' % (render(left, space), space, operator, space,
                             render(right, space))


def reference(tree, values):
    """The documented semantics, written straightforwardly."""
    if len(tree) == 2 and tree[0] != 'neg':
        value = tree[1]
        return values.get(value) if isinstance(value, str) else value
    if tree[0] == 'neg':
        value = reference(tree[1], values)
        return None if value is None else -value
    if tree[0] == 'call':
        args = [reference(arg, values) for arg in tree[2]]
        present = [arg for arg in args if arg is not None]
        if tree[1] == 'coalesce':
            return present[0] if present else None
        if tree[1] == 'sum':
            return math.fsum(present) if present else None
        if len(present) < len(args):
            return None
        return {'min': min, 'max': max, 'abs': lambda v: abs(v[0])}[tree[1]](
            args)
    operator, left, right = tree
    left, right = reference(left, values), reference(right, values)
    if left is None or right is None or (operator == '/' and right == 0):
        return None
    result = {'+': left + right, '-': left - right, '*': left * right,
              '/': lambda: left / right}[operator]
    return result() if callable(result) else result


def tree_depth(tree):
    if len(tree) == 2 and tree[0] != 'neg':
        return 0
    children = tree[2] if tree[0] == 'call' else tree[1:]
    return 1 + max(tree_depth(child) for child in children)


@given(TREES, SPACES, st.dictionaries(
    st.sampled_from(CODES), st.one_of(st.none(), st.integers(-1000, 1000).map(
        float))))
def test_rendered_tree_parses_back_to_the_same_value(tree, space, values):
    text = render(tree, space)
    if len(text) > MAX_FORMULA_LENGTH or tree_depth(tree) > MAX_NESTING_DEPTH:
        return
    formula = parse(text)
    used = set(re.findall(r'[a-z_][a-z0-9_]*', text)) - set(FUNCTIONS)
    assert formula.names == used
    expected = reference(tree, values)
    result = formula.evaluate(values)
    if expected is None or not math.isfinite(expected):
        assert result is None
    else:
        assert math.isclose(result, expected, rel_tol=1e-9, abs_tol=1e-9)
    # Whitespace between tokens never changes the meaning.
    assert parse(render(tree, '')).evaluate(values) == result


@given(st.dictionaries(
    st.sampled_from(CODES),
    st.lists(st.sampled_from(CODES), max_size=3).map(
        lambda codes: '+'.join(codes) or '1'),
    min_size=1))
def test_formulas_using_each_other_are_ordered_or_a_cycle_is_named(texts):
    formulas = {code: parse(text) for code, text in texts.items()}
    cycle = find_cycle(formulas)
    try:
        results = evaluate_all(formulas, {'x1': 1.0, 'rev_new': 2.0})
    except FormulaError as error:
        assert_clear_error(error, FormulaError)
        assert cycle, 'a circular reference error names a cycle'
        for code, following in zip(cycle, cycle[1:] + cycle[:1]):
            assert following in formulas[code].names
            assert code in error.params['cycle']
        return
    assert cycle is None
    assert set(results) == set(formulas)
