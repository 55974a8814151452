odoo.define('prm_benchmark.chart_registry', function (require) {
'use strict';

/**
 * The analysis charts by kind. The server sends the chart list of the view
 * (``lib/analysis_view.py`` ``chart_list``: ``{id, kind, title, unit,
 * unit_label, kpis, ...}``, derived from the KPI records); the page looks
 * each kind up here and calls ``draw(page, chart)``, which draws into a
 * panel of ``page.kit`` and returns its context. ``page`` gives ``data``,
 * ``state`` (``scale``, ``granularity``), ``kit``, ``kpi(code)``, ``kpis(codes)``,
 * ``axis()`` and ``axisLabel(how)``. No KPI code is known here.
 */

var core = require('web.core');
var Registry = require('web.Registry');
var utils = require('web.utils');
var format = require('prm_benchmark.analysis_format');
var kitModule = require('prm_benchmark.chart_kit');

var _t = core._t;
var COLORS = kitModule.COLORS;
var isNum = format.isNum;
var formatNumber = format.formatNumber;
var compact = format.compact;
var INDEX_MIN = -100;
var INDEX_MAX = 300;

var registry = new Registry();

function yearlyMean(page) {
    return page.state.granularity === 'year' ? _t("Yearly values are the mean of the quarters.") : null;
}

function noDataOf(kit, kpis) {
    return kpis.length && kpis.every(function (k) { return k.stats && k.stats.withheld; }) ?
        kit.label('withheld') : kit.label('no_data');
}

/** Own value and median (and quartiles) of one KPI over time. */
registry.add('trend', function (page, chart) {
    var kit = page.kit;
    var perEmployee = page.state.scale === 'per_employee' && chart.per_employee;
    var kpi = page.kpi(perEmployee ? chart.per_employee : chart.kpis[0]);
    var axis = page.axis();
    var ctx = kit.panel(chart.id, perEmployee ? chart.per_employee_title : chart.title,
        kpi ? kpi.unit_label : chart.unit_label,
        perEmployee ? _t("Per employee: the value per employee of you and the group.") : yearlyMean(page));
    if (!kpi) {
        return kit.drawLines(ctx, [], {buckets: axis});
    }
    var trend = kpi.trend || {};
    var lines = [
        {id: 'own', key: kit.label('own'), color: COLORS.own,
         values: format.aggregate(trend.own, axis)},
        {id: 'median', key: kit.label('median'), color: COLORS.median,
         values: format.aggregate(trend.median, axis)},
    ];
    if (chart.quartiles) {
        lines.push(
            {id: 'q3', key: kit.label('q3'), color: COLORS.q3, dashed: true,
             values: format.aggregate(trend.q3, axis)},
            {id: 'q1', key: kit.label('q1'), color: COLORS.q1, dashed: true,
             values: format.aggregate(trend.q1, axis)}
        );
    }
    kit.drawLines(ctx, lines, {
        buckets: axis, unit: kpi.unit, yLabel: kpi.unit_label,
        xLabel: page.axisLabel('mean'), noData: noDataOf(kit, [kpi]),
    });
    kit.note(ctx, kit.trendNotes([kpi]));
    return ctx;
});

/** Several KPIs of one unit over time: own (solid) and median (dashed). */
registry.add('trend_multi', function (page, chart) {
    var kit = page.kit;
    var axis = page.axis();
    var kpis = page.kpis(chart.kpis);
    var ctx = kit.panel(chart.id, chart.title, chart.unit_label, yearlyMean(page));
    var palette = [COLORS.own, COLORS.second].concat(COLORS.metrics.slice(1));
    var lines = [];
    kpis.forEach(function (kpi, i) {
        var trend = kpi.trend || {};
        var color = palette[i % palette.length];
        lines.push(
            {id: kpi.code + '_own', key: kpi.name + ' – ' + kit.label('own'), color: color,
             values: format.aggregate(trend.own, axis)},
            {id: kpi.code + '_median', key: kpi.name + ' – ' + kit.label('median'),
             color: d3.rgb(color).brighter(1.2).toString(), dashed: true,
             values: format.aggregate(trend.median, axis)}
        );
    });
    kit.drawLines(ctx, lines, {
        buckets: axis, unit: chart.unit, yLabel: chart.unit_label,
        xLabel: page.axisLabel('mean'),
    });
    kit.note(ctx, kit.trendNotes(kpis));
    return ctx;
});

/** Own value, median and top-quartile mean of KPIs of one unit, as bars. */
registry.add('bar_compare', function (page, chart) {
    var kit = page.kit;
    var kpis = page.kpis(chart.kpis);
    var ctx = kit.panel(chart.id, chart.title, chart.unit_label,
        _t("Own value compared with the group median and the top quartile."));
    function point(kpi, value) {
        return {x: kpi.name, y: isNum(value) ? value : null, tip: kit.value(value, chart.unit)};
    }
    kit.drawBars(ctx, [
        {id: 'own', key: kit.label('own'), color: COLORS.own,
         values: kpis.map(function (kpi) { return point(kpi, kpi.own); })},
        {id: 'median', key: kit.label('median'), color: COLORS.median,
         values: kpis.map(function (kpi) { return point(kpi, kpi.stats && kpi.stats.median); })},
        {id: 'top', key: kit.label('top_quartile'), color: COLORS.top,
         values: kpis.map(function (kpi) { return point(kpi, kpi.stats && kpi.stats.top_quartile_mean); })},
    ], {
        categories: kpis.map(function (kpi) { return kpi.name; }),
        wrapLabels: true, yLabel: chart.unit_label, forceY: [0], bottom: kit.narrow ? 64 : 56,
        yFormat: function (v) { return formatNumber(v, 0); },
        noData: noDataOf(kit, kpis),
    });
    kit.note(ctx, kit.kpiNotes(kpis, {top: true}));
    return ctx;
});

/** Own vs median vs top quartile of a section, as index against the median. */
registry.add('index_compare', function (page, chart) {
    var kit = page.kit;
    var kpis = page.kpis(chart.kpis);
    var ctx = kit.panel(chart.id, chart.title, chart.unit_label,
        _t("Each KPI is shown relative to the group median (= 100), so different units fit one axis. Hover for the real values."));
    var capped = [];
    function point(kpi, value) {
        var median = kpi.stats ? kpi.stats.median : null;
        var index = format.toIndex(value, median);
        var tip = kit.value(value, kpi.unit);
        if (tip !== null) {
            tip += kpi.unit_label && kpi.unit !== 'percent' ? ' ' + kpi.unit_label : '';
            if (index !== null) {
                tip += ' (' + formatNumber(index, 0) + ')';
            }
        }
        var y = index === null ? null : utils.confine(index, INDEX_MIN, INDEX_MAX);
        if (index !== null && y !== index && capped.indexOf(kpi.name) < 0) {
            capped.push(kpi.name);
        }
        return {x: kpi.name, y: y, tip: tip};
    }
    kit.drawBars(ctx, [
        {id: 'own', key: kit.label('own'), color: COLORS.own,
         values: kpis.map(function (kpi) { return point(kpi, kpi.own); })},
        {id: 'median', key: kit.label('median'), color: COLORS.median,
         values: kpis.map(function (kpi) { return point(kpi, kpi.stats ? kpi.stats.median : null); })},
        {id: 'top', key: kit.label('top_quartile'), color: COLORS.top,
         values: kpis.map(function (kpi) { return point(kpi, kpi.stats ? kpi.stats.top_quartile_mean : null); })},
    ], {
        categories: kpis.map(function (kpi) { return kpi.name; }),
        wrapLabels: true, yLabel: _t("Index"), forceY: [0, 100],
        bottom: kit.narrow ? 64 : 56,
        yFormat: function (v) { return formatNumber(v, 0); },
        noData: noDataOf(kit, kpis),
    });
    var notes = kit.kpiNotes(kpis, {top: true});
    if (capped.length) {
        notes.push(_t("Cut off at -100 / 300:") + ' ' + capped.join(', '));
    }
    kit.note(ctx, notes);
    return ctx;
});

/** Quartile band, median and own value per KPI (each row its own scale). */
registry.add('range', function (page, chart) {
    var kit = page.kit;
    var kpis = page.kpis(chart.kpis);
    var ctx = kit.panel(chart.id, chart.title, '',
        _t("Band: lower to upper quartile, line: median, dot: your value (each row has its own scale)."));
    var rows = kpis.map(function (kpi) {
        var stats = kpi.stats || {};
        var own = isNum(kpi.own) ? kpi.own : null;
        var suffix = kpi.unit !== 'percent' && kpi.unit_label ? ' ' + kpi.unit_label : '';
        function text(key, value) {
            return kit.label(key) + ': ' + (kit.value(value, kpi.unit) || '–') + suffix;
        }
        var values = [stats.q1, stats.q3, stats.median, own].filter(isNum);
        var row = {
            label: kpi.name + ' ' + (kpi.higher_is_better ? '▲' : '▼'),
            title: kpi.name + ' (' + (kpi.higher_is_better ? _t("higher is better") : _t("lower is better")) + ')',
            value: own !== null ? kit.value(own, kpi.unit) : '',
            marks: {band: [stats.q1, stats.q3], median: stats.median, own: own},
            bandTitle: text('q1', stats.q1) + ' – ' + text('q3', stats.q3),
            medianTitle: text('median', stats.median),
            ownTitle: text('own', own),
        };
        if (stats.withheld) {
            row.empty = kit.label('withheld');
        } else if (!values.length) {
            row.empty = kit.label('no_data');
        } else {
            row.domain = [d3.min(values), d3.max(values)];
        }
        return row;
    });
    kit.drawRows(ctx, {
        series: [
            {id: 'band', key: kit.label('q1') + ' – ' + kit.label('q3'), color: COLORS.band},
            {id: 'median', key: kit.label('median'), color: COLORS.median},
            {id: 'own', key: kit.label('own'), color: COLORS.own},
        ],
        rows: rows,
        rowHeight: 34,
    });
    kit.note(ctx, [_t("▲ higher is better, ▼ lower is better")].concat(
        kit.kpiNotes(kpis, {noWithheld: true})));
    return ctx;
});

/** The dealer's revenue lines per period, optionally per employee. */
function mixValues(page, axis) {
    var mix = page.data.revenue_mix || {};
    var employees = format.aggregate(mix.employees, axis, 'mean');
    var result = {};
    (mix.lines || []).forEach(function (line) {
        var sums = format.aggregate((mix.own || {})[line.code], axis, 'sum');
        result[line.code] = page.state.scale !== 'per_employee' ? sums : sums.map(function (value, i) {
            return format.perUnit(value, employees[i]);
        });
    });
    return result;
}

function mixUnit(page, chart) {
    return page.state.scale === 'per_employee' ? chart.per_employee_unit_label : chart.unit_label;
}

/** The revenue mix of the current period. */
registry.add('mix_donut', function (page, chart) {
    var kit = page.kit;
    var data = page.data;
    var lines = (data.revenue_mix || {}).lines || [];
    var periods = data.periods || [];
    var index = _.findIndex(periods, function (period) { return period.id === data.period.id; });
    if (index < 0) {
        index = periods.length - 1;
    }
    var values = mixValues(page, format.buckets(periods, 'quarter'));
    var ctx = kit.panel(chart.id, chart.title + ' ' + (data.period.name || ''), mixUnit(page, chart),
        _t("Share of each revenue line in your total revenue."), 300);
    var slices = lines.map(function (line, i) {
        var value = (values[line.code] || [])[index];
        return {id: line.code, label: line.label, value: isNum(value) && value > 0 ? value : null,
                color: COLORS.mix[i % COLORS.mix.length]};
    }).filter(function (slice) { return slice.value !== null; });
    var total = format.sum(_.pluck(slices, 'value'));
    slices.forEach(function (slice) {
        slice.tip = kit.value(slice.value, chart.unit) + ' (' + formatNumber(100 * slice.value / total, 1) + ' %)';
    });
    kit.drawDonut(ctx, slices);
    kit.note(ctx, slices.length ? [] : [kit.label('own') + ' – ' + kit.label('no_data')]);
    return ctx;
});

/** The revenue lines stacked over the periods (or years). */
registry.add('mix_periods', function (page, chart) {
    var kit = page.kit;
    var lines = (page.data.revenue_mix || {}).lines || [];
    var axis = page.axis();
    var values = mixValues(page, axis);
    var perEmployee = page.state.scale === 'per_employee';
    var ctx = kit.panel(chart.id, chart.title, mixUnit(page, chart),
        (page.state.granularity === 'year' ? _t("Yearly bars are the sum of the quarters.") + ' ' : '') +
        (perEmployee ? _t("Divided by the number of employees.") : ''));
    var groups = lines.map(function (line, i) {
        return {
            id: line.code, key: line.label, color: COLORS.mix[i % COLORS.mix.length],
            values: axis.labels.map(function (label, b) {
                var value = values[line.code][b];
                return {x: label, y: isNum(value) ? value : 0, tip: kit.value(value, chart.unit)};
            }),
        };
    });
    kit.drawBars(ctx, groups, {
        categories: axis.labels,
        stacked: true, reduceXTicks: kit.narrow, yLabel: mixUnit(page, chart),
        rotateLabels: kit.narrow && axis.labels.length > 4 ? -30 : 0,
        bottom: kit.narrow ? 56 : 44,
    });
    kit.note(ctx, []);
    return ctx;
});

/**
 * Target rows of the view's periods (of one metric, or all): per quarter,
 * or per year with target and actual summed.
 */
function targetRows(page, metricCode) {
    var rows = (page.data.targets || []).filter(function (t) {
        return !metricCode || t.metric_code === metricCode;
    });
    if (page.state.granularity !== 'year') {
        return rows.map(function (t) {
            return {label: t.period, metric: t.metric, code: t.metric_code,
                    target: t.target, actual: t.actual, attainment: t.attainment};
        });
    }
    var order = [];
    var byKey = {};
    rows.forEach(function (t) {
        var key = format.yearOf(t.period) + '|' + t.metric_code;
        if (!(key in byKey)) {
            byKey[key] = {label: format.yearOf(t.period), metric: t.metric, code: t.metric_code,
                          target: [], actual: []};
            order.push(byKey[key]);
        }
        byKey[key].target.push(t.target);
        byKey[key].actual.push(t.actual);
    });
    return order.map(function (item) {
        var target = format.sum(item.target);
        var actual = format.sum(item.actual);
        return {label: format.partialLabel(item.label, item.target.length), metric: item.metric,
                code: item.code, target: target, actual: actual,
                attainment: isNum(target) && isNum(actual) && target ? 100 * actual / target : null};
    });
}

/** Target and actual of one target metric per period. */
registry.add('target_rows', function (page, chart) {
    var kit = page.kit;
    var rows = targetRows(page, chart.metric);
    var ctx = kit.panel(chart.id, chart.title, chart.unit_label,
        page.state.granularity === 'year' ? _t("Yearly bars are the sum of the quarters.") : null);
    function point(row, value) {
        var tip = kit.value(value, chart.unit);
        if (tip !== null && isNum(row.attainment)) {
            tip += ' (' + kit.label('attainment') + ': ' + formatNumber(row.attainment, 1) + ')';
        }
        return {x: row.label, y: value, tip: tip};
    }
    kit.drawBars(ctx, [
        {id: 'target', key: kit.label('target'), color: COLORS.target,
         values: rows.map(function (row) { return point(row, row.target); })},
        {id: 'actual', key: kit.label('actual'), color: COLORS.actual,
         values: rows.map(function (row) { return point(row, row.actual); })},
    ], {
        categories: _.pluck(rows, 'label'),
        reduceXTicks: kit.narrow, yLabel: chart.unit_label,
        rotateLabels: kit.narrow && rows.length > 4 ? -30 : 0,
        bottom: kit.narrow ? 56 : 44,
    });
    kit.note(ctx, rows.length ? [] : [kit.label('target') + ' – ' + kit.label('no_data')]);
    return ctx;
});

/** Target attainment of every target metric over time. */
registry.add('target_attainment', function (page, chart) {
    var kit = page.kit;
    var rows = targetRows(page, null);
    var labels = _.uniq(_.pluck(rows, 'label'));
    var metrics = [];
    var byMetric = {};
    rows.forEach(function (row) {
        if (!(row.code in byMetric)) {
            byMetric[row.code] = {name: row.metric, values: {}};
            metrics.push(row.code);
        }
        byMetric[row.code].values[row.label] = row.attainment;
    });
    var axis = {labels: labels, groups: labels.map(function (l, i) { return [i]; })};
    var ctx = kit.panel(chart.id, chart.title, '', _t("100 % = target reached."));
    var lines = metrics.map(function (code, i) {
        return {id: code, key: byMetric[code].name, color: COLORS.metrics[i % COLORS.metrics.length],
                values: labels.map(function (label) { return byMetric[code].values[label]; })};
    });
    lines.push({id: 'goal', key: kit.label('target') + ' (100 %)', color: COLORS.target, dashed: true,
                values: labels.map(function () { return metrics.length ? 100 : null; })});
    kit.drawLines(ctx, lines, {
        buckets: axis, unit: chart.unit, yLabel: '%', xLabel: page.axisLabel('sum'),
        forceY: [80, 120],
    });
    kit.note(ctx, []);
    return ctx;
});

/** Distribution of a KPI in the group, the own range highlighted. */
registry.add('histogram', function (page, chart) {
    var kit = page.kit;
    var kpi = page.kpi(chart.kpis[0]);
    var dist = (page.data.distribution || {})[chart.kpis[0]] || {};
    var ctx = kit.panel(chart.id, chart.title, chart.unit_label,
        _t("Number of dealers per range (5th to 95th percentile; values outside are counted in the first and last range)."));
    var edges = dist.edges || [];
    var counts = dist.counts || [];
    var ownBin = isNum(dist.own_bin) ? dist.own_bin : -1;
    function label(i) {
        return compact(edges[i]) + '–' + compact(edges[i + 1]);
    }
    function tip(i, count) {
        return formatNumber(count, 0) + ' (' + (kit.value(edges[i], chart.unit) || '') + ' – ' +
            (kit.value(edges[i + 1], chart.unit) || '') + ')';
    }
    var dealers = [];
    var own = [];
    counts.forEach(function (count, i) {
        var value = isNum(count) ? count : 0;
        dealers.push({x: label(i), y: i === ownBin ? 0 : value, tip: tip(i, value)});
        own.push({x: label(i), y: i === ownBin ? value : 0, tip: tip(i, value)});
    });
    kit.drawBars(ctx, [
        {id: 'dealers', key: kit.label('dealers'), color: COLORS.dealers, values: dealers},
        {id: 'own', key: kit.label('your_position'), color: COLORS.own, values: own},
    ], {
        categories: counts.map(function (count, i) { return label(i); }),
        tickLabels: counts.map(function (count, i) { return compact(edges[i]); }),
        xLabel: _t("lower end of each range") + (chart.unit_label ? ' (' + chart.unit_label + ')' : ''),
        stacked: true, reduceXTicks: kit.narrow, yLabel: kit.label('dealers'),
        bottom: 48, xLabelDistance: -2,
        yFormat: function (v) { return v === Math.round(v) ? formatNumber(v, 0) : ''; },
    });
    kit.note(ctx, ownBin < 0 || !kpi ? [kit.label('own') + ' – ' + kit.label('no_data')] : []);
    return ctx;
});

/** Own percentile per KPI, 100 = best of the group. */
registry.add('profile', function (page, chart) {
    var kit = page.kit;
    var kpis = page.kpis(chart.kpis);
    var ctx = kit.panel(chart.id, chart.title, '0–100',
        _t("100 = best value of the group; the line marks the middle (50)."));
    var rows = kpis.map(function (kpi) {
        var withheld = kpi.stats && kpi.stats.withheld;
        var ok = !withheld && isNum(kpi.percentile);
        var value = ok ? formatNumber(kpi.percentile, 0) : '';
        return {
            label: kpi.name,
            title: kpi.name + (ok ? ': ' + value + (kpi.rank ? ' (' + kpi.rank + '/' + kpi.of + ')' : '') : ''),
            value: value,
            empty: withheld ? kit.label('withheld') : (ok ? null : kit.label('no_data')),
            marks: {bar: ok ? kpi.percentile : null},
        };
    });
    kit.drawRows(ctx, {
        series: [
            {id: 'bar', key: kit.label('percentile'), color: COLORS.own},
            {id: 'median', key: kit.label('median') + ' (50)', color: COLORS.median},
        ],
        rows: rows,
        rowHeight: 30,
        domain: [0, 100],
        reference: 50,
        axis: true,
        ticks: [0, 25, 50, 75, 100],
        tickFormat: function (v) { return formatNumber(v, 0); },
    });
    kit.note(ctx, []);
    return ctx;
});

return registry;
});
