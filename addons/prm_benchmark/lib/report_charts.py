"""Server-drawn charts of the participant report: matplotlib to SVG text.

Fed only with the analysis view model (``analysis_view.build_view``): the
trend chart draws a row's ``trend`` (own value, median, quartile band over
the view's periods) and the distribution chart the released histogram of
``view["distribution"]`` - the same series as the page's charts, nothing the
page withholds (a withheld statistic is None and not drawn). Greyscale
readable: own value black and solid with markers, median grey and dashed,
quartiles a light band, the own bin hatched. Numbers on the axes in the
reader's format ``fmt`` (``(decimal_point, thousands_sep)``).
"""
import io

from . import units
from .numbers import format_number

SIZE = (6.4, 2.6)  # inches: a half A4 page's width at print size
OWN, MEDIAN, BAND = "#000000", "#707070", "#d9d9d9"


def _figure():
    # The object API, not pyplot: no global state shared between threads.
    from matplotlib.figure import Figure
    figure = Figure(figsize=SIZE)
    axes = figure.add_subplot(1, 1, 1)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.grid(axis="y", color="#e0e0e0", linewidth=0.6)
    axes.set_axisbelow(True)
    return figure, axes


def _svg(figure):
    from matplotlib import rcParams
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    figure.tight_layout()
    FigureCanvasSVG(figure)
    stream = io.StringIO()
    # Text as paths: the PDF's text layer stays the tables' and sentences'.
    with _rc(rcParams, {"svg.fonttype": "path", "svg.hashsalt": "prm"}):
        figure.savefig(stream, format="svg")
    return stream.getvalue()


class _rc(object):
    def __init__(self, params, values):
        self.params, self.values, self.saved = params, values, {}

    def __enter__(self):
        self.saved = {key: self.params[key] for key in self.values}
        self.params.update(self.values)

    def __exit__(self, *exc):
        self.params.update(self.saved)


def _formatter(unit, fmt):
    from matplotlib.ticker import FuncFormatter
    digits = units.decimals(unit)
    return FuncFormatter(lambda value, _pos: format_number(
        value, fmt[0], fmt[1], digits=digits))


def trend_svg(row, periods, fmt, labels):
    """SVG of ``row``'s trend over ``periods`` (``[{name}]``), or None when
    there is no point to draw. ``labels``: ``{own, median, quartiles}``."""
    trend = row["trend"]
    if not any(value is not None for value in trend["own"] + trend["median"]):
        return None
    figure, axes = _figure()
    positions = list(range(len(periods)))

    def series(key):
        return [float("nan") if value is None else value for value in trend[key]]

    if any(value is not None for value in trend["q1"]):
        axes.fill_between(positions, series("q1"), series("q3"), color=BAND,
                          linewidth=0, label=labels["quartiles"])
    axes.plot(positions, series("median"), color=MEDIAN, linestyle="--",
              linewidth=1.4, marker="s", markersize=3, label=labels["median"])
    axes.plot(positions, series("own"), color=OWN, linewidth=1.8, marker="o",
              markersize=4, label=labels["own"])
    axes.set_xticks(positions)
    axes.set_xticklabels([period["name"] for period in periods], fontsize=7)
    axes.yaxis.set_major_formatter(_formatter(row["unit"], fmt))
    axes.tick_params(axis="y", labelsize=7)
    axes.set_title(row["name"], fontsize=9, loc="left")
    axes.legend(fontsize=7, frameon=False, loc="best")
    return _svg(figure)


def distribution_svg(row, histogram, fmt, labels):
    """SVG of the released histogram ``{edges, counts, own_bin}`` of ``row``;
    ``labels``: ``{dealers, your_position}``."""
    edges, counts = histogram.get("edges") or [], histogram.get("counts") or []
    if not counts or len(edges) != len(counts) + 1:
        return None
    figure, axes = _figure()
    own_bin = histogram.get("own_bin")
    bars = axes.bar(edges[:-1], counts, width=[b - a for a, b in zip(
        edges[:-1], edges[1:])], align="edge", color="#bdbdbd",
        edgecolor="#404040", linewidth=0.6)
    if own_bin is not None and 0 <= own_bin < len(bars):
        bars[own_bin].set_facecolor("#ffffff")
        bars[own_bin].set_hatch("///")
        bars[own_bin].set_label(labels["your_position"])
        axes.legend(fontsize=7, frameon=False, loc="best")
    axes.xaxis.set_major_formatter(_formatter(row["unit"], fmt))
    axes.tick_params(labelsize=7)
    axes.set_ylabel(labels["dealers"], fontsize=7)
    axes.set_title(row["name"], fontsize=9, loc="left")
    return _svg(figure)


def groups_range_svg(name, unit, rows, fmt, labels):
    """SVG of one KPI over the comparison groups: per group the band from
    the lower to the upper quartile and the median as a mark. ``rows``:
    ``[{group, q1, median, q3}]`` (None: not available, not drawn);
    ``labels``: ``{median, quartiles}``. None when no group has a median."""
    rows = [row for row in rows if row.get("median") is not None]
    if not rows:
        return None
    from matplotlib.figure import Figure
    figure = Figure(figsize=(SIZE[0], max(1.2, 0.28 * len(rows) + 0.7)))
    axes = figure.add_subplot(1, 1, 1)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    positions = list(range(len(rows)))[::-1]
    for position, row in zip(positions, rows):
        if row.get("q1") is not None and row.get("q3") is not None:
            axes.barh(position, row["q3"] - row["q1"], left=row["q1"], height=0.5,
                      color=BAND, edgecolor=MEDIAN, linewidth=0.5)
    axes.plot([row["median"] for row in rows], positions, linestyle="none",
              marker="D", color=OWN, markersize=4, label=labels["median"])
    axes.set_yticks(positions)
    axes.set_yticklabels([row["group"] for row in rows], fontsize=7)
    axes.xaxis.set_major_formatter(_formatter(unit, fmt))
    axes.tick_params(axis="x", labelsize=7)
    axes.set_title(name, fontsize=9, loc="left")
    return _svg(figure)
