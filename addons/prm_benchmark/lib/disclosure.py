"""Disclosure audit: can a viewer derive another firm's value from a release?

Everything a dealer is shown about a comparison group is linear in the
group's sorted values ``x[0] <= x[1] <= ... <= x[n-1]``:

* a quartile or percentile (PostgreSQL ``percentile_cont``) at position
  ``h = fraction * (n - 1)`` is ``(1 - f) * x[a] + f * x[a + 1]`` with
  ``a = floor(h)``, ``f = h - a``;
* a mean is ``sum(x) / n``, the top-quartile mean the mean over the known
  positions of the top group;
* histogram edges are percentiles, and the bar counts say which positions
  lie between which edges (inequalities);
* the viewer's own value and rank fix one position: ``x[r] = own``.

The audit takes exactly these facts and, by linear programming over the
sorted vector (with the order constraints), computes what the viewer can
know about every other position ``j``: the interval ``[lo, hi]`` of
``x[j]`` over all groups consistent with the release. A release fails when

* another firm's value is **determined** (``lo == hi``) and is not itself
  one of the released statistics (a median that *is* a firm's value says
  only what the median says), or
* the group's **largest or smallest** value (the firms everybody in a
  market can name) is pinned into an interval narrower than ``± p %`` of
  the value (the p % rule).

The LP is solved exactly enough for this purpose with a small dense
simplex (Bland's rule, values scaled to about 1, tolerance 1e-9): groups
have at most a few dozen firms, and no SciPy is needed.

``secondary_suppression`` withholds the fewest numbers, in a fixed order of
priority (histogram, top-quartile mean, mean, upper quartile, lower
quartile, median), until the audit passes.
"""
import math
from bisect import bisect_left, bisect_right

from odoo.addons.prm_partner_portal.lib.quantiles import percentile_cont

QUANTILE_FRACTIONS = {"q1": 0.25, "median": 0.5, "q3": 0.75}
HISTOGRAM_FRACTIONS = (0.05, 0.95)
# What is withheld first when a release fails: the histogram (a chart
# extra whose bars bound every firm), then the sums, the median last (it is
# what the page is about).
SUPPRESSION_ORDER = ("histogram", "top_quartile_mean", "mean", "q3", "q1",
                     "median")
DEFAULT_P = 10.0
EPS = 1e-9
EXACT = 1e-10


# --- a small simplex -------------------------------------------------------------
class _NoConvergence(Exception):
    """The simplex did not finish (numerical trouble): fail safe."""


class _Polytope(object):
    """``{y >= 0 : A_eq y = b_eq, A_ub y <= b_ub}`` with a feasible basis.

    Phase 1 runs once; every objective then starts from that basis.
    """

    def __init__(self, nvars, equalities, inequalities):
        rows, rhs = [], []
        nslack = len(inequalities)
        width = nvars + nslack
        for index, (coefs, bound) in enumerate(inequalities):
            row = list(coefs) + [0.0] * nslack
            row[nvars + index] = 1.0
            rows.append(row)
            rhs.append(bound)
        for coefs, value in equalities:
            rows.append(list(coefs) + [0.0] * nslack)
            rhs.append(value)
        for index in range(len(rows)):
            if rhs[index] < 0:
                rows[index] = [-c for c in rows[index]]
                rhs[index] = -rhs[index]
        self.width = width
        self.nvars = nvars
        self.feasible = self._phase_one(rows, rhs)

    def _phase_one(self, rows, rhs):
        m, width = len(rows), self.width
        table = [rows[i] + [1.0 if k == i else 0.0 for k in range(m)] + [rhs[i]]
                 for i in range(m)]
        basis = [width + i for i in range(m)]
        cost = [0.0] * (width + m + 1)
        for i in range(m):
            for col in range(width):
                cost[col] -= table[i][col]
            cost[-1] -= table[i][-1]
        if _simplex(table, basis, cost) is None:  # pragma: no cover
            return False
        if -cost[-1] > 1e-7 * max(1.0, max(rhs or [0.0])):
            return False
        # Drive artificial variables out of the basis; drop redundant rows.
        keep = []
        for i in range(m):
            if basis[i] >= width:
                col = next((c for c in range(width) if abs(table[i][c]) > EPS),
                           None)
                if col is None:
                    continue
                _pivot(table, basis, cost, i, col)
            keep.append(i)
        self.table = [table[i][:width] + [table[i][-1]] for i in keep]
        self.basis = [basis[i] for i in keep]
        return True

    def solve(self, objective):
        """``(min objective.y, y at the optimum)``; ``(-inf, None)`` if unbounded."""
        table = [row[:] for row in self.table]
        basis = self.basis[:]
        cost = list(objective) + [0.0] * (self.width - len(objective)) + [0.0]
        for i, var in enumerate(basis):
            factor = cost[var]
            if factor:
                row = table[i]
                for col in range(self.width + 1):
                    cost[col] -= factor * row[col]
        if _simplex(table, basis, cost) is None:
            return -math.inf, None
        point = [0.0] * self.nvars
        for i, var in enumerate(basis):
            if var < self.nvars:
                point[var] = table[i][-1]
        return -cost[-1], point


def _pivot(table, basis, cost, row_index, col):
    row = table[row_index]
    factor = row[col]
    nonzero = [k for k, value in enumerate(row) if value]
    for k in nonzero:
        row[k] /= factor
    for other in table + [cost]:
        if other is not row:
            scale = other[col]
            if scale:
                for k in nonzero:
                    other[k] -= scale * row[k]
    basis[row_index] = col


def _simplex(table, basis, cost):
    """Minimise in place (Bland's rule). None when unbounded."""
    ncols = len(cost) - 1
    for _step in range(5000):
        col = next((c for c in range(ncols) if cost[c] < -EPS), None)
        if col is None:
            return True
        best, best_row = None, None
        for i, row in enumerate(table):
            if row[col] > EPS:
                ratio = row[-1] / row[col]
                if best is None or ratio < best - EPS or (
                        abs(ratio - best) <= EPS and basis[i] < basis[best_row]):
                    best, best_row = ratio, i
        if best_row is None:
            return None
        _pivot(table, basis, cost, best_row, col)
    raise _NoConvergence()  # pragma: no cover


# --- the facts of a release --------------------------------------------------------
def quantile_weights(n, fraction):
    """``{position: weight}`` of ``percentile_cont(fraction)`` over n values."""
    position = fraction * (n - 1)
    lower = int(math.floor(position))
    part = position - lower
    if part <= 0 or lower + 1 >= n:
        return {min(lower, n - 1): 1.0}
    return {lower: 1.0 - part, lower + 1: part}


def interpolation_neighbours(ascending, own_position, released,
                             fractions=(0.25, 0.5, 0.75)):
    """The released quantile keys that give the viewer's neighbour away.

    A quantile interpolated between the values at positions ``lower`` and
    ``lower + 1`` is one equation in those two values: a viewer at one of
    them solves it for the other. This is the audit's one exact derivation
    that needs no other released number, checked in O(1) per key for the
    groups too large for the full audit (``release.AUDIT_MAX_GROUP``).
    ``released``: ``{key: value}`` (quantile keys are matched by value).
    Returns the keys to withhold.
    """
    n = len(ascending)
    if own_position is None or n < 2:
        return []
    found = []
    # The histogram's end edges are the 5th and 95th percentiles (the inner
    # edges follow from them): interpolated next to the viewer, they give
    # the neighbour away too (outside review).
    if released.get("histogram") and any(
            own_position in weights and len(weights) == 2
            for weights in (quantile_weights(n, 0.05), quantile_weights(n, 0.95))):
        found.append("histogram")
    for fraction in fractions:
        weights = quantile_weights(n, fraction)
        if len(weights) < 2 or own_position not in weights:
            continue
        value = sum(ascending[pos] * weight for pos, weight in weights.items())
        for key in ("q1", "median", "q3"):
            shown = released.get(key)
            if shown is not None and key not in found and \
                    abs(shown - value) <= 1e-9 * max(1.0, abs(value)):
                found.append(key)
    return found


def top_group_positions(ascending, higher_is_better, q1, q3):
    """Positions of the top group (``>= q3``, or ``<= q1`` when lower is better).

    ``ascending`` sorted ascending: the positions are one end of it, found
    by bisection. Returns a ``range``.
    """
    if higher_is_better:
        return range(bisect_left(ascending, q3), len(ascending))
    return range(0, bisect_right(ascending, q1))


def release_facts(ascending, released, higher_is_better=True):
    """Linear facts of a release: ``(equalities, inequalities, statistic values)``.

    ``ascending``: the group's values sorted ascending (the true ones: the
    attacker is assumed to know which positions a top group or a histogram
    bar covers). ``released``: ``{key: value}`` for the keys q1, median, q3,
    mean, top_quartile_mean (None or missing = not released) and
    ``histogram``: ``{"edges": [...], "counts": [...]}`` or None.
    Equalities are ``({position: weight}, value)``; inequalities
    ``({position: weight}, bound)`` meaning ``sum(weight * x) <= bound``.
    """
    n = len(ascending)
    equalities, inequalities, values = [], [], []
    for key, fraction in QUANTILE_FRACTIONS.items():
        if released.get(key) is not None:
            equalities.append((quantile_weights(n, fraction), released[key]))
            values.append(released[key])
    if released.get("mean") is not None:
        equalities.append(({i: 1.0 / n for i in range(n)}, released["mean"]))
    top = released.get("top_quartile_mean")
    if top is not None:
        positions = top_group_positions(
            ascending, higher_is_better, percentile_cont(ascending, 0.25),
            percentile_cont(ascending, 0.75))
        if positions:
            equalities.append(({i: 1.0 / len(positions) for i in positions}, top))
    histogram = released.get("histogram")
    if histogram:
        edges, counts = histogram["edges"], histogram["counts"]
        for fraction, edge in zip(HISTOGRAM_FRACTIONS, (edges[0], edges[-1])):
            equalities.append((quantile_weights(n, fraction), edge))
        start = 0
        for index, count in enumerate(counts):
            end = start + count
            if count and index > 0:            # first value of the bar >= edge
                inequalities.append(({start: -1.0}, -edges[index]))
            if count and index < len(counts) - 1:  # last value < next edge
                inequalities.append(({end - 1: 1.0}, edges[index + 1]))
            start = end
    return equalities, inequalities, values


# --- the audit ---------------------------------------------------------------------
def audit(ascending, own_position, released, higher_is_better=True, p=DEFAULT_P,
          first=False):
    """Findings of the disclosure audit; an empty list means the release is safe.

    ``ascending``: the group's values sorted ascending; ``own_position``:
    the viewer's index in it (None when the viewer has no value in the
    group); ``released`` as in ``release_facts``; ``p`` in percent.
    Each finding is ``{"position", "value", "low", "high", "reason"}`` with
    reason ``"determined"`` or ``"p_percent"``. ``first``: stop at the first
    finding (enough to know that the release fails).

    Fails safe: when the linear programs cannot be solved numerically, one
    finding with reason ``"unchecked"`` is returned (the release is then
    reduced until it passes, at worst to nothing but N and the rank).
    """
    try:
        return _audit(ascending, own_position, released, higher_is_better, p,
                      first)
    except _NoConvergence:  # pragma: no cover
        return [{"position": None, "value": None, "low": None, "high": None,
                 "reason": "unchecked"}]


def _audit(ascending, own_position, released, higher_is_better, p, first):
    ascending = [float(value) for value in ascending]
    n = len(ascending)
    if n < 2:
        return []
    equalities, inequalities, stat_values = release_facts(
        ascending, released, higher_is_better)
    if not equalities and not inequalities:
        return []
    scale = max([abs(v) for v in ascending] + [1e-300])
    model = _Model(ascending, own_position, scale)
    polytope = _Polytope(
        model.nvars,
        [model.linear(weights, value) for weights, value in equalities],
        [model.linear(weights, bound) for weights, bound in inequalities])
    if not polytope.feasible:  # pragma: no cover - the true data is feasible
        # Fail safe: a release the audit cannot check is not released.
        return [{"position": None, "value": None, "low": None, "high": None,
                 "reason": "unchecked"}]
    findings = []
    extremes = {0, n - 1}
    tolerance = EXACT * scale
    pool = []

    def bound(j, sign):
        value, point = polytope.solve([sign * c for c in model.coefs[j]])
        if point is not None:
            pool.append(model.values(point))
        # min of sign * x[j]; unbounded gives -inf * sign (= -inf or +inf)
        return (sign * value + model.consts[j]) * scale

    # The extremes first: their four vertices usually show that most
    # other positions can move, so few further programs are solved.
    order = sorted(range(n), key=lambda j: (j not in extremes, j))
    for j in order:
        if j == own_position:
            continue
        true = ascending[j]
        if j not in extremes and any(abs(x[j] - true) > tolerance for x in pool):
            continue
        high = bound(j, -1.0)
        if j not in extremes and high > true + tolerance:
            continue
        low = bound(j, 1.0)
        if high - low <= tolerance:
            if not any(abs(true - s) <= tolerance for s in stat_values):
                findings.append({"position": j, "value": true, "low": low,
                                 "high": high, "reason": "determined"})
        elif j in extremes and high - low < 2 * p / 100.0 * abs(true):
            findings.append({"position": j, "value": true, "low": low,
                             "high": high, "reason": "p_percent"})
        if first and findings:
            break
    findings.sort(key=lambda finding: finding["position"])
    return findings


class _Model(object):
    """``x[j] = const[j] + coefs[j] . y`` with ``y >= 0`` (scaled by 1/scale).

    ``y`` are the gaps ``x[i] - x[i-1]`` (i = 1..n-1), so the order is built
    in; with an own value, ``x[own] = own``; without one, ``x[0] = u - w``.
    """

    def __init__(self, ascending, own_position, scale):
        n = len(ascending)
        gaps = n - 1
        self.n, self.own = n, own_position
        self.nvars = gaps + (0 if own_position is not None else 2)
        self.consts, self.coefs = [], []
        for j in range(n):
            coefs = [0.0] * self.nvars
            if own_position is not None:
                const = ascending[own_position] / scale
                low, high = sorted((j, own_position))
                sign = 1.0 if j > own_position else -1.0
                coefs[low:high] = [sign] * (high - low)
            else:
                const = 0.0
                coefs[gaps], coefs[gaps + 1] = 1.0, -1.0
                coefs[:j] = [1.0] * j
            self.consts.append(const)
            self.coefs.append(coefs)
        self.scale = scale

    def linear(self, weights, value):
        """``sum(w * x) (=|<=) value`` as ``(coefs . y, rhs)``."""
        coefs = [0.0] * self.nvars
        rhs = value / self.scale
        for position, weight in weights.items():
            rhs -= weight * self.consts[position]
            for index, coef in enumerate(self.coefs[position]):
                if coef:
                    coefs[index] += weight * coef
        return coefs, rhs

    def values(self, point):
        """All ``x`` (real units) of a solution ``y``, in O(n)."""
        n, gaps = self.n, self.n - 1
        if self.own is None:
            x = [point[gaps] - point[gaps + 1]]
            for gap in range(gaps):
                x.append(x[-1] + point[gap])
        else:
            x = [0.0] * n
            x[self.own] = self.consts[self.own]
            for j in range(self.own + 1, n):
                x[j] = x[j - 1] + point[j - 1]
            for j in range(self.own - 1, -1, -1):
                x[j] = x[j + 1] - point[j]
        return [value * self.scale for value in x]


def secondary_suppression(ascending, own_position, released, higher_is_better=True,
                          p=DEFAULT_P, order=SUPPRESSION_ORDER):
    """The keys to withhold so that ``audit`` passes: a small set, by priority.

    Tries the release as it is, then each single key of ``order`` that is
    released; if no single key helps, withholds the first released key of
    ``order`` and repeats. Returns the list of withheld keys (in order).
    """
    current = {key: value for key, value in released.items() if value is not None}
    withheld = []
    while audit(ascending, own_position, current, higher_is_better, p, True):
        candidates = [key for key in order if key in current]
        if not candidates:  # pragma: no cover - nothing left passes always
            break
        for key in candidates:
            trial = {k: v for k, v in current.items() if k != key}
            if not audit(ascending, own_position, trial, higher_is_better, p, True):
                withheld.append(key)
                return withheld
        withheld.append(candidates[0])
        current.pop(candidates[0])
    return withheld
