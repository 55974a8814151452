"""Safe expression engine for KPI formulas over input codes.

Formulas are tokenized and parsed by hand into a tiny syntax tree that is
evaluated by walking it; user text is never passed to eval/exec/compile.

Grammar::

    expression := term (('+' | '-') term)*
    term       := unary (('*' | '/') unary)*
    unary      := ('+' | '-')* primary
    primary    := NUMBER | CODE | CODE '(' [expression (',' expression)*] ')'
                | '(' expression ')'

Numbers always use '.' as decimal point (``12``, ``3.5``, ``.5``); codes
match ``[a-z_][a-z0-9_]*``. Positions in error messages count from 1.
"""
import heapq
import math
import re
from collections import namedtuple

from .errors import PrmError, _

MAX_FORMULA_LENGTH = 2000
MAX_NESTING_DEPTH = 50

FUNCTIONS = ('prev', 'min', 'max', 'abs', 'sum', 'coalesce')


class FormulaError(PrmError):
    """A formula cannot be parsed, refers to unknown codes or is circular."""


# --- tokenizer ---------------------------------------------------------------

Token = namedtuple('Token', 'kind text pos')  # pos: 1-based character position

_TOKEN_RE = re.compile(
    r'(?P<space>\s+)'
    r'|(?P<number>[0-9]+(?:\.[0-9]+)?|\.[0-9]+)'
    r'|(?P<name>[a-z_][a-z0-9_]*)'
    r'|(?P<op>[-+*/(),])'
)


def _tokenize(text):
    tokens = []
    pos = 0
    while pos < len(text):
        match = _TOKEN_RE.match(text, pos)
        if not match:
            raise FormulaError(
                _("Unexpected character '%(char)s' at position %(pos)s"),
                char=text[pos], pos=pos + 1)
        kind = match.lastgroup
        if kind != 'space':
            tokens.append(Token(kind, match.group(), pos + 1))
        pos = match.end()
    tokens.append(Token('end', '', len(text) + 1))
    return tokens


# --- syntax tree -------------------------------------------------------------

Number = namedtuple('Number', 'value')
Name = namedtuple('Name', 'name')
Prev = namedtuple('Prev', 'name')
Negate = namedtuple('Negate', 'operand')
# A left-associative run like ``a + b - c`` is one node with a flat list of
# (operator, operand) pairs, so long sums do not deepen the tree (and the
# recursive evaluator stays far from Python's recursion limit).
Chain = namedtuple('Chain', 'first rest')
Call = namedtuple('Call', 'function args')


class _Parser(object):
    """Recursive-descent parser over the token list."""

    def __init__(self, tokens):
        self.tokens = tokens
        self.index = 0
        self.depth = 0
        self.names = set()
        self.prev_names = set()

    @property
    def current(self):
        return self.tokens[self.index]

    def _advance(self):
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self):
        node = self._expression()
        token = self.current
        if token.text == ')':
            raise FormulaError(
                _("Unmatched closing parenthesis at position %(pos)s"),
                pos=token.pos)
        if token.kind == 'op':
            raise FormulaError(
                _("Unexpected '%(token)s' at position %(pos)s"),
                token=token.text, pos=token.pos)
        if token.kind != 'end':
            raise FormulaError(
                _("Missing operator before '%(token)s' at position %(pos)s"),
                token=token.text, pos=token.pos)
        return node

    def _expression(self):
        return self._chain(self._term, '+-')

    def _term(self):
        return self._chain(self._unary, '*/')

    def _chain(self, parse_operand, operators):
        first = parse_operand()
        rest = []
        while self.current.kind == 'op' and self.current.text in operators:
            operator = self._advance().text
            rest.append((operator, parse_operand()))
        return Chain(first, tuple(rest)) if rest else first

    def _unary(self):
        # Signs are collected in a loop rather than by recursion so that
        # "------x" cannot exhaust the stack.
        negative = False
        while self.current.kind == 'op' and self.current.text in '+-':
            if self._advance().text == '-':
                negative = not negative
        operand = self._primary()
        return Negate(operand) if negative else operand

    def _primary(self):
        token = self._advance()
        if token.kind == 'number':
            return Number(float(token.text))
        if token.kind == 'name':
            if self.current.text == '(':
                return self._call(token)
            self.names.add(token.text)
            return Name(token.text)
        if token.text == '(':
            self._enter(token)
            node = self._expression()
            self._expect_closing(token, in_call=False)
            self.depth -= 1
            return node
        if token.kind == 'end':
            raise FormulaError(_("Formula ends unexpectedly"))
        raise FormulaError(
            _("Expected a number, a code or '(' at position %(pos)s "
              "but found '%(token)s'"),
            pos=token.pos, token=token.text)

    def _enter(self, token):
        self.depth += 1
        if self.depth > MAX_NESTING_DEPTH:
            raise FormulaError(
                _("Formula is nested too deeply at position %(pos)s "
                  "(at most %(max)s levels)"),
                pos=token.pos, max=MAX_NESTING_DEPTH)

    def _expect_closing(self, opening, in_call):
        token = self.current
        if token.text == ')':
            self._advance()
            return
        if token.kind == 'end':
            raise FormulaError(
                _("Missing closing parenthesis for '(' at position %(pos)s"),
                pos=opening.pos)
        if in_call:
            raise FormulaError(
                _("Expected ',' or ')' at position %(pos)s "
                  "but found '%(token)s'"),
                pos=token.pos, token=token.text)
        raise FormulaError(
            _("Expected ')' at position %(pos)s but found '%(token)s'"),
            pos=token.pos, token=token.text)

    def _call(self, name_token):
        function = name_token.text
        if function not in FUNCTIONS:
            raise FormulaError(
                _("Unknown function '%(name)s' at position %(pos)s"),
                name=function, pos=name_token.pos)
        opening = self._advance()
        self._enter(opening)
        if function == 'prev':
            node = self._prev_argument()
        else:
            node = Call(function, self._arguments(function))
        self._expect_closing(opening, in_call=True)
        self.depth -= 1
        return node

    def _prev_argument(self):
        # prev() looks up a stored value of the previous period, so only a
        # plain code makes sense as its argument.
        token = self.current
        if token.kind == 'name':
            following = self.tokens[self.index + 1]
            # At the end of the text the missing ')' is the better message.
            if following.text == ')' or following.kind == 'end':
                self._advance()
                self.prev_names.add(token.text)
                return Prev(token.text)
        raise FormulaError(_("prev() takes exactly one input code"))

    def _arguments(self, function):
        args = []
        if self.current.text != ')':
            args.append(self._expression())
            while self.current.text == ',':
                self._advance()
                args.append(self._expression())
        if function == 'abs' and len(args) != 1:
            raise FormulaError(_("abs() takes exactly one argument"))
        if not args:
            raise FormulaError(
                _("%(name)s() needs at least one argument"), name=function)
        return tuple(args)


# --- evaluation --------------------------------------------------------------

#: No KPI is this large: every input is below 1e15 (``plausibility``), and a
#: ratio beyond it comes from dividing by a figure that is nearly zero.
MAX_RESULT = 1e15


def _finite_or_none(value):
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _apply(operator, left, right):
    if left is None or right is None:
        return None
    if operator == '+':
        result = left + right
    elif operator == '-':
        result = left - right
    elif operator == '*':
        result = left * right
    elif right == 0:
        return None
    else:
        result = left / right
    return _finite_or_none(result)


def _call_function(function, args):
    if function == 'coalesce':
        return next((arg for arg in args if arg is not None), None)
    if function == 'sum':
        present = [arg for arg in args if arg is not None]
        if not present:
            return None
        try:
            return _finite_or_none(math.fsum(present))
        except OverflowError:
            return None
    # min, max and abs are strict: a missing argument means no result, so
    # that e.g. max(0, revenue - costs) does not turn "unknown" into 0.
    if any(arg is None for arg in args):
        return None
    if function == 'abs':
        return abs(args[0])
    return min(args) if function == 'min' else max(args)


def _evaluate(node, values, prev_values):
    kind = type(node)
    if kind is Number:
        return _finite_or_none(node.value)
    if kind is Name:
        return _finite_or_none(values.get(node.name))
    if kind is Prev:
        return _finite_or_none(prev_values.get(node.name))
    if kind is Negate:
        operand = _evaluate(node.operand, values, prev_values)
        return None if operand is None else -operand
    if kind is Chain:
        result = _evaluate(node.first, values, prev_values)
        for operator, operand in node.rest:
            result = _apply(
                operator, result, _evaluate(operand, values, prev_values))
        return result
    args = [_evaluate(arg, values, prev_values) for arg in node.args]
    return _call_function(node.function, args)


class Formula(object):
    """A parsed formula; create it with :func:`parse`."""

    def __init__(self, text, tree, names, prev_names):
        self.text = text
        self.tree = tree
        self.names = frozenset(names)
        self.prev_names = frozenset(prev_names)

    def __repr__(self):
        return 'Formula(%r)' % self.text

    def evaluate(self, values, prev_values=None):
        """Return the value as float, or None when there is no value.

        Missing codes (absent or None), division by zero, overflow and a
        result of magnitude ``MAX_RESULT`` or more (a division by a tiny
        figure: a gross margin of 1.2e21 %) give None; this never raises
        for well-formed numeric inputs.
        """
        result = _evaluate(self.tree, values, prev_values or {})
        if result is not None and abs(result) >= MAX_RESULT:
            return None
        return result


def parse(text):
    """Parse ``text`` into a :class:`Formula`; raise FormulaError if invalid."""
    if text is None or not text.strip():
        raise FormulaError(_("Empty formula"))
    if len(text) > MAX_FORMULA_LENGTH:
        raise FormulaError(
            _("Formula is too long (at most %(max)s characters)"),
            max=MAX_FORMULA_LENGTH)
    parser = _Parser(_tokenize(text))
    tree = parser.parse()
    return Formula(text, tree, parser.names, parser.prev_names)


def check_names(formula, known_codes):
    """Raise FormulaError for the first (alphabetically) unknown code used."""
    unknown = (formula.names | formula.prev_names) - set(known_codes)
    if unknown:
        raise FormulaError(_("Unknown code '%(name)s'"), name=min(unknown))


# --- formulas referring to each other ----------------------------------------

def _dependencies(formulas):
    """Map each code to the sorted formula codes it needs in the same period.

    prev() references are not dependencies: they read stored values of the
    previous period, which are known before anything is computed.
    """
    return {
        code: sorted(formula.names.intersection(formulas))
        for code, formula in formulas.items()
    }


def _topological_order(dependencies):
    """Return (ordered codes, codes left over because they are in a cycle)."""
    waiting_for = {code: len(deps) for code, deps in dependencies.items()}
    dependents = {code: [] for code in dependencies}
    for code, deps in dependencies.items():
        for dep in deps:
            dependents[dep].append(code)
    # A heap keeps the order deterministic (alphabetical among ready codes).
    ready = [code for code, count in waiting_for.items() if count == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        code = heapq.heappop(ready)
        order.append(code)
        for dependent in dependents[code]:
            waiting_for[dependent] -= 1
            if waiting_for[dependent] == 0:
                heapq.heappush(ready, dependent)
    left_over = sorted(set(dependencies) - set(order))
    return order, left_over


def find_cycle(formulas):
    """Return codes forming a circular reference, or None if there is none.

    The list starts at the alphabetically first code of the cycle that is
    found; each code depends on the next and the last one on the first.
    """
    dependencies = _dependencies(formulas)
    __, left_over = _topological_order(dependencies)
    if not left_over:
        return None
    # Every left-over code waits for at least one other left-over code, so
    # following those dependencies must eventually revisit a code.
    stuck = set(left_over)
    path, seen_at = [], {}
    code = left_over[0]
    while code not in seen_at:
        seen_at[code] = len(path)
        path.append(code)
        code = next(dep for dep in dependencies[code] if dep in stuck)
    cycle = path[seen_at[code]:]
    start = cycle.index(min(cycle))
    return cycle[start:] + cycle[:start]


def evaluation_order(formulas):
    """The codes of ``formulas`` (dict code -> Formula) in the order
    :func:`evaluate_all` evaluates them (a formula after those it uses).

    Raises FormulaError when the formulas refer to each other in a circle.
    Depends on the formulas only: compute it once for many evaluations.
    """
    cycle = find_cycle(formulas)
    if cycle:
        raise FormulaError(
            _("Circular reference: %(cycle)s"),
            cycle=' -> '.join(cycle + cycle[:1]))
    order, __ = _topological_order(_dependencies(formulas))
    return order


def evaluate_all(formulas, values, prev_values=None, order=None):
    """Evaluate formulas (dict code -> Formula) that may use each other.

    Returns a dict code -> value (float or None) for every formula.
    ``values`` holds the inputs of the current period; ``prev_values`` the
    previous period's inputs and KPI values merged, used by prev().
    ``order``: ``evaluation_order(formulas)`` when the caller evaluates the
    same formulas many times (computed here otherwise).
    Raises FormulaError when the formulas refer to each other in a circle.
    """
    if order is None:
        order = evaluation_order(formulas)
    known = dict(values)
    results = {}
    for code in order:
        results[code] = known[code] = formulas[code].evaluate(known, prev_values)
    return results
