"""Property tests of the release model: no viewer derives another firm's value.

Random groups (1 to 40 firms, ties, outliers, both KPI directions), the
viewer at every rank (every rank for small groups, a drawn one otherwise).
For each release:

* the audit (exact LP over the sorted values) passes on what is released;
* an independent attacker with exact rational arithmetic (Gaussian
  elimination over the released linear statistics with the own value fixed,
  plus the order "sandwich" between equal values) recovers no other firm's
  value beyond the released statistics themselves;
* the view model built from it carries no other group number.
"""
from fractions import Fraction

from hypothesis import given, settings, strategies as st

from ..lib import analysis_view, disclosure, release
from ..lib.anonymity import AnonymityPolicy
from ..lib.statistics import percentile_cont

POLICY = AnonymityPolicy(5, 10, 0.25, 3, 10.0)
VALUE = st.one_of(
    st.integers(0, 12).map(float),                      # many ties
    st.floats(1.0, 1e6, allow_nan=False).map(lambda v: round(v, 2)),
    st.floats(-50.0, 50.0, allow_nan=False).map(lambda v: round(v, 1)),
    st.sampled_from([1e7, 5e7, -1e5]),                   # outliers
)
GROUPS = st.lists(VALUE, min_size=1, max_size=40).map(sorted)
STATS = ("q1", "median", "q3", "top_quartile_mean")


def attacker_determined(ascending, own_position, shown, higher_is_better):
    """``{position: value}`` an exact-arithmetic attacker pins down."""
    n = len(ascending)
    equations = []
    for key, fraction in disclosure.QUANTILE_FRACTIONS.items():
        if shown.get(key) is not None:
            h = Fraction(fraction) * (n - 1)
            lower = int(h)
            part = h - lower
            weights = {lower: 1 - part}
            if part:
                weights[lower + 1] = part
            equations.append((weights, Fraction(shown[key])))
    if shown.get("top_quartile_mean") is not None:
        top = disclosure.top_group_positions(
            ascending, higher_is_better, percentile_cont(ascending, 0.25),
            percentile_cont(ascending, 0.75))
        equations.append(({i: Fraction(1, len(top)) for i in top},
                          Fraction(shown["top_quartile_mean"])))
    bars = shown.get("histogram")
    if bars:
        for fraction, edge in zip((Fraction(1, 20), Fraction(19, 20)),
                                  (bars["edges"][0], bars["edges"][-1])):
            h = fraction * (n - 1)
            lower = int(h)
            part = h - lower
            weights = {lower: 1 - part}
            if part:
                weights[lower + 1] = part
            equations.append((weights, Fraction(edge)))
    known = {}
    if own_position is not None:
        known[own_position] = Fraction(ascending[own_position])
    while True:
        found = _eliminate(n, equations, known)
        # Sandwich: two positions with the same value fix all between.
        values = sorted(found.items())
        for (a, va), (b, vb) in zip(values, values[1:]):
            if abs(va - vb) <= abs(va) * Fraction(1, 10 ** 9) and b > a + 1:
                for j in range(a + 1, b):
                    found.setdefault(j, va)
        if len(found) == len(known):
            return {j: float(v) for j, v in found.items() if j != own_position}
        known = found


def _eliminate(n, equations, known):
    rows = []
    for weights, value in equations:
        row = [Fraction(0)] * n
        rhs = value
        for j, w in weights.items():
            if j in known:
                rhs -= w * known[j]
            else:
                row[j] += w
        rows.append(row + [rhs])
    pivots = []
    for col in range(n):
        pivot = next((r for r in range(len(pivots), len(rows)) if rows[r][col]),
                     None)
        if pivot is None:
            continue
        index = len(pivots)
        rows[index], rows[pivot] = rows[pivot], rows[index]
        head = rows[index][col]
        rows[index] = [x / head for x in rows[index]]
        for r in range(len(rows)):
            if r != index and rows[r][col]:
                factor = rows[r][col]
                rows[r] = [x - factor * y for x, y in zip(rows[r], rows[index])]
        pivots.append(col)
    found = dict(known)
    for index, col in enumerate(pivots):
        if sum(1 for x in rows[index][:n] if x) == 1:
            found[col] = rows[index][n]
    return found


def check_release(ascending, own_position, higher_is_better):
    own = ascending[own_position]
    result = release.release_kpi(ascending, own, higher_is_better, POLICY)
    shown = {key: result[key] for key in STATS}
    shown["histogram"] = result["histogram"]
    assert "min" not in result and "max" not in result
    if result["withheld"]:
        assert all(result[key] is None for key in release.RELEASED_KEYS)
        return result
    position = release.own_position(ascending, own, higher_is_better)
    assert ascending[position] == own
    assert not disclosure.audit(ascending, position, shown, higher_is_better)
    statistics = [v for k, v in shown.items() if k in STATS and v is not None]
    for j, value in attacker_determined(
            ascending, position, shown, higher_is_better).items():
        assert any(abs(value - s) <= 1e-6 * max(1.0, abs(s))
                   for s in statistics), (j, value, shown)
    return result


@settings(max_examples=120)
@given(GROUPS, st.booleans(), st.data())
def test_no_viewer_derives_another_firms_value(ascending, higher_is_better, data):
    n = len(ascending)
    if n <= 12:
        positions = range(n)
    else:
        positions = {0, n - 1, data.draw(st.integers(0, n - 1))}
    for own_position in positions:
        check_release(ascending, own_position, higher_is_better)


@settings(max_examples=60)
@given(GROUPS, st.booleans(), st.data())
def test_the_view_model_sends_only_the_release(ascending, higher_is_better, data):
    own_position = data.draw(st.integers(0, len(ascending) - 1))
    result = check_release(ascending, own_position, higher_is_better)
    kpi = {"code": "k", "name": "K", "unit": "ratio", "unit_label": "",
           "higher_is_better": higher_is_better, "section": "s",
           "description": ""}
    own = ascending[own_position]
    view = analysis_view.build_view(
        {}, [kpi], [{"id": 1, "name": "P"}], 1, None, {(1, "k"): own},
        {1: {"k": result}}, (",", "."), {"protect": "x", "none": "–"})
    row = view["kpis"][0]
    sent = [v for v in row["stats"].values() if isinstance(v, float)]
    sent += [v for key in ("median", "q1", "q3") for v in row["trend"][key]
             if v is not None]
    allowed = [result[key] for key in release.RELEASED_KEYS
               if result[key] is not None]
    assert all(v in allowed for v in sent)
    if result["histogram"]:
        assert view["distribution"]["k"] == result["histogram"]
    else:
        assert not view["distribution"]


@settings(max_examples=80)
@given(GROUPS, st.booleans(), st.data())
def test_one_group_release_serves_every_viewer_unchanged(ascending, higher_is_better,
                                                         data):
    """The view caches ``group_release`` per group and KPI and hands it to
    every viewer: each viewer's release equals one computed from scratch,
    whatever the viewers before did with it."""
    base = release.group_release(ascending, higher_is_better, POLICY)
    snapshot = (dict(base[0]), dict(base[1]))
    viewers = data.draw(st.lists(st.sampled_from(ascending + [None]), min_size=2,
                                 max_size=4))
    for own in viewers:
        assert release.release_kpi(ascending, own, higher_is_better, POLICY,
                                   base=base) == \
            release.release_kpi(ascending, own, higher_is_better, POLICY)
    assert (base[0], base[1]) == snapshot
