odoo.define('prm_benchmark.chart_kit', function (require) {
'use strict';

/**
 * The drawing kit of the analysis charts: panels, lines, bars, rows, a
 * donut, legends (series switched off stay off across redraws) and
 * tooltips. nvd3 1.8 / d3 v3 as shipped with Odoo; the row charts are
 * drawn with d3 directly but use the nvd3 legend.
 *
 * Values may be null (missing or withheld for anonymity): null never
 * becomes a point, a bar height or a NaN attribute; the panel says why.
 */

var Class = require('web.Class');
var core = require('web.core');
var format = require('prm_benchmark.analysis_format');

var _t = core._t;
var isNum = format.isNum;
var compact = format.compact;

var COLORS = {
    own: '#1f77b4',
    median: '#555555',
    top: '#2ca02c',
    q1: '#b0b0b0',
    q3: '#8a8a8a',
    band: '#c6dbef',
    target: '#ff7f0e',
    actual: '#1f77b4',
    dealers: '#c7c7c7',
    second: '#d62728',
    mix: ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'],
    metrics: ['#1f77b4', '#2ca02c', '#9467bd', '#d62728', '#8c564b'],
};
var CHART_HEIGHT = 260;

var ChartKit = Class.extend({
    /**
     * @param {jQuery} $container where the panels go
     * @param {Object} options ``labels`` (translated texts of the server),
     *   ``narrow`` (phone layout), ``disabled`` (``{chart id: {series id:
     *   true}}``, kept by the page across redraws)
     */
    init: function ($container, options) {
        this.$container = $container;
        this.labels = options.labels || {};
        this.narrow = !!options.narrow;
        this.disabled = options.disabled || {};
        this.decimals = options.decimals || {};
    },

    /** ``value`` with its unit's decimals (the server's unit catalogue). */
    value: function (value, unit) {
        return format.formatValue(value, unit, this.decimals);
    },

    label: function (key) {
        return this.labels[key] || key;
    },

    /** A chart panel; returns the context the chart is drawn into. */
    panel: function (id, title, unit, subtitle, height) {
        var $col = $('<div class="col-xs-12 col-md-6 o_prm_chart_col"/>');
        var $panel = $('<div class="panel panel-default o_prm_chart"/>').attr('data-chart', id);
        var $heading = $('<div class="panel-heading"/>').appendTo($panel);
        var $title = $('<h4 class="panel-title"/>').text(title).appendTo($heading);
        if (unit) {
            $title.append(' ').append($('<small class="o_prm_chart_unit"/>').text(unit));
        }
        if (subtitle) {
            $('<div class="o_prm_chart_subtitle small text-muted"/>').text(subtitle).appendTo($heading);
        }
        var $body = $('<div class="panel-body"/>').appendTo($panel);
        var svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
        svg.setAttribute('class', 'o_prm_chart_svg');
        if (height) {
            svg.style.height = height + 'px';
        }
        $body.append(svg);
        var $note = $('<p class="o_prm_chart_note small text-muted"/>').appendTo($body);
        $col.append($panel).appendTo(this.$container);
        return {id: id, svg: svg, $panel: $panel, $note: $note};
    },
    /** Phones: legends wrap into several lines, give the plot that room. */
    fitHeight: function (ctx, seriesCount) {
        if (this.narrow && !ctx.svg.style.height) {
            var legendRows = Math.max(0, Math.ceil(seriesCount / 2) - 1);
            ctx.svg.style.height = (CHART_HEIGHT + 20 * legendRows) + 'px';
        }
    },

    note: function (ctx, lines) {
        var texts = lines.filter(function (line) { return line; });
        ctx.$note.empty().toggleClass('hidden', !texts.length);
        texts.forEach(function (text, i) {
            if (i) {
                ctx.$note.append('<br/>');
            }
            ctx.$note.append(document.createTextNode(text));
        });
    },

    /** Notes for KPIs whose statistics are withheld or own value is missing. */
    kpiNotes: function (kpis, options) {
        options = options || {};
        kpis = kpis.filter(function (kpi) { return kpi; });
        var withheld = [];
        var topWithheld = [];
        var noOwn = [];
        kpis.forEach(function (kpi) {
            var stats = kpi.stats || {};
            if (stats.withheld) {
                withheld.push(kpi.name);
            } else if (options.top && !isNum(stats.top_quartile_mean) && isNum(stats.median)) {
                topWithheld.push(kpi.name);
            }
            if (!isNum(kpi.own)) {
                noOwn.push(kpi.name);
            }
        });
        var notes = [];
        if (withheld.length && !options.noWithheld) {
            notes.push(this.label('median') + ' – ' + this.label('withheld') + ': ' + withheld.join(', '));
        }
        if (topWithheld.length) {
            notes.push(this.label('top_quartile') + ' – ' + this.label('withheld') + ': ' + topWithheld.join(', '));
        }
        if (noOwn.length && !options.noOwn) {
            notes.push(this.label('own') + ' – ' + this.label('no_data') +
                (noOwn.length === kpis.length ? '' : ': ' + noOwn.join(', ')));
        }
        return notes;
    },

    /** Notes for trends without group statistics or own values. */
    trendNotes: function (kpis) {
        var self = this;
        var notes = [];
        kpis.forEach(function (kpi) {
            var trend = kpi.trend || {};
            if (!(trend.median || []).some(isNum)) {
                notes.push(kpi.name + ': ' + self.label('median') + ' – ' +
                    (kpi.stats && kpi.stats.withheld ? self.label('withheld') : self.label('no_data')));
            } else if ((trend.median || []).some(function (v) { return !isNum(v); })) {
                notes.push(kpi.name + ': ' + _t("some periods without group statistics (no data or withheld)"));
            }
            if (!(trend.own || []).some(isNum)) {
                notes.push(kpi.name + ': ' + self.label('own') + ' – ' + self.label('no_data'));
            }
        });
        return notes;
    },

    /** Remember series switched off in the legend, across redraws. */
    rememberLegend: function (ctx, series) {
        var self = this;
        return function () {
            var off = {};
            series.forEach(function (item) {
                if (item.disabled) {
                    off[item.id] = true;
                }
            });
            self.disabled[ctx.id] = off;
        };
    },

    applyLegend: function (ctx, series) {
        var off = this.disabled[ctx.id] || {};
        series.forEach(function (item) {
            item.disabled = !!off[item.id];
        });
        if (series.length && series.every(function (item) { return item.disabled; })) {
            series.forEach(function (item) { item.disabled = false; });
        }
        return series;
    },

    tooltip: function (header) {
        var self = this;
        return function (d) {
            if (!d) {
                return '';
            }
            var rows = d.series ? (Array.isArray(d.series) ? d.series : [d.series]) : [];
            var html = '<table>';
            var head = header ? header(d) : null;
            if (head) {
                html += '<thead><tr><td colspan="3"><strong class="x-value">' +
                    _.escape(head) + '</strong></td></tr></thead>';
            }
            html += '<tbody>';
            rows.forEach(function (row) {
                var point = row.data || d.data || {};
                if (row.data && isNum(row.data.x) && isNum(d.value) && row.data.x !== d.value) {
                    return;  // nearest point of a series with a gap: another period
                }
                var text = point.tip !== undefined ? point.tip : compact(row.value);
                html += '<tr><td class="legend-color-guide"><div style="background-color: ' +
                    _.escape(row.color) + ';"></div></td><td class="key">' +
                    _.escape(row.key) + '</td><td class="value">' +
                    _.escape(text === null ? self.label('no_data') : text) + '</td></tr>';
            });
            return html + '</tbody></table>';
        };
    },

    /**
     * Value axis shared by line and bar charts: compact numbers, unit label,
     * five ticks.
     */
    styleValueAxis: function (axis, options) {
        axis.tickFormat(options.yFormat || compact)
            .axisLabel(options.yLabel || '')
            .axisLabelDistance(-10)
            .ticks(5)
            .showMaxMin(false);
    },

    drawLines: function (ctx, lines, options) {
        var buckets = options.buckets;
        var n = buckets.labels.length;
        var unit = options.unit;
        var self = this;
        var series = lines.map(function (line) {
            var values = [];
            (line.values || []).forEach(function (value, i) {
                if (isNum(value)) {
                    values.push({x: i, y: value, tip: self.value(value, unit)});
                }
            });
            return {id: line.id, key: line.key, color: line.color, values: values,
                    classed: line.dashed ? 'o_prm_dashed' : ''};
        });
        this.applyLegend(ctx, series);
        this.fitHeight(ctx, series.length);
        var chart = nv.models.lineChart()
            .margin({top: 10, right: 16, bottom: 48, left: 62})
            .useInteractiveGuideline(true)
            .clipEdge(false)
            .showLegend(true)
            .duration(0)
            .noData(options.noData || this.label('no_data'))
            .x(function (d) { return d.x; })
            .y(function (d) { return d.y; });
        chart.xDomain([-0.35, Math.max(n - 1, 0) + 0.35]);
        if (options.forceY) {
            chart.forceY(options.forceY);
        }
        chart.legend.maxKeyLength(40);
        var step = this.narrow && n > 5 ? 2 : 1;
        var ticks = [];
        for (var i = n - 1; i >= 0; i -= step) {
            ticks.unshift(i);
        }
        chart.xAxis
            .tickValues(ticks)
            .tickFormat(function (tick) { return buckets.labels[tick] !== undefined ? buckets.labels[tick] : ''; })
            .axisLabel(options.xLabel || '')
            .axisLabelDistance(-6)
            .showMaxMin(false);
        this.styleValueAxis(chart.yAxis, options);
        chart.interactiveLayer.tooltip.contentGenerator(this.tooltip(function (d) {
            return buckets.labels[d.value] !== undefined ? buckets.labels[d.value] : '';
        }));
        d3.select(ctx.svg).datum(series).call(chart);
        chart.dispatch.on('stateChange.prm', this.rememberLegend(ctx, series));
        ctx.chart = chart;
        ctx.update = function () { chart.update(); };
        return ctx;
    },

    /**
     * Bars per category. ``groups``: [{id, key, color, values: [{x, y, tip}]}].
     */
    drawBars: function (ctx, groups, options) {
        var categories = options.categories || [];
        var series = groups.map(function (group) {
            return {id: group.id, key: group.key, color: group.color,
                    values: group.values.map(function (point, i) {
                        return {x: i, y: point.y, tip: point.tip};
                    })};
        });
        this.applyLegend(ctx, series);
        var empty = !series.some(function (item) {
            return item.values.some(function (point) { return isNum(point.y) && point.y !== 0; });
        });
        var ticks = options.tickLabels || categories;
        var bottom = options.bottom || 56;
        var wrap = !!options.wrapLabels;
        var rotate = options.rotateLabels || 0;
        if (wrap && this.narrow && categories.length > 4) {
            // too many long names for a phone: slanted and shortened
            wrap = false;
            rotate = -40;
            bottom = 92;
            ticks = categories.map(function (name) {
                return name.length > 16 ? name.slice(0, 15) + '…' : name;
            });
            ctx.svg.style.height = (CHART_HEIGHT + 40 + 20 * Math.max(0, Math.ceil(series.length / 2) - 1)) + 'px';
        }
        this.fitHeight(ctx, series.length);
        var chart = nv.models.multiBarChart()
            .margin({top: 10, right: 16, bottom: bottom, left: 62})
            .showControls(false)
            .showLegend(true)
            .stacked(!!options.stacked)
            .reduceXTicks(!!options.reduceXTicks && categories.length > 5)
            .wrapLabels(wrap)
            .rotateLabels(rotate)
            .groupSpacing(0.2)
            .duration(0)
            .noData(options.noData || this.label('no_data'))
            .x(function (d) { return d.x; })
            .y(function (d) { return isNum(d.y) ? d.y : 0; });
        if (options.forceY) {
            chart.forceY(options.forceY);
        }
        chart.legend.maxKeyLength(40);
        chart.xAxis
            .tickFormat(function (i) { return ticks[i] !== undefined ? ticks[i] : ''; })
            .axisLabel(options.xLabel || '')
            .axisLabelDistance(options.xLabelDistance || 0);
        this.styleValueAxis(chart.yAxis, options);
        chart.tooltip.contentGenerator(this.tooltip(function (d) {
            return categories[d.value] !== undefined ? categories[d.value] : '';
        }));
        d3.select(ctx.svg).datum(empty ? [] : series).call(chart);
        chart.dispatch.on('stateChange.prm', this.rememberLegend(ctx, series));
        ctx.chart = chart;
        ctx.update = function () { chart.update(); };
        return ctx;
    },

    /**
     * Rows drawn with d3: one KPI per row, label above its marks.
     * ``config.series``: legend entries [{id, key, color}];
     * ``config.rows``: [{label, value (text right), domain [lo, hi], marks, title, empty}]
     * where marks = {band: [lo, hi], median: v, own: v, bar: v} (any may be null).
     */
    drawRows: function (ctx, config) {
        var self = this;
        var series = this.applyLegend(ctx, config.series);
        var rowHeight = config.rowHeight || 34;
        var axisHeight = config.axis ? 26 : 0;
        function enabled(id) {
            return series.some(function (item) { return item.id === id && !item.disabled; });
        }
        function draw() {
            var svg = d3.select(ctx.svg);
            var width = ctx.svg.getBoundingClientRect().width ||
                (ctx.svg.parentNode && ctx.svg.parentNode.clientWidth) || 0;
            if (width < 60) {
                return;
            }
            svg.selectAll('*').remove();
            var root = svg.append('g').attr('class', 'nvd3 o_prm_rows');
            var legend = nv.models.legend()
                .width(width)
                .maxKeyLength(40)
                .key(function (d) { return d.key; })
                .color(function (d) { return d.color; });
            var legendWrap = root.append('g').attr('class', 'nv-legendWrap').datum(series).call(legend);
            legend.dispatch.on('stateChange', function () {
                self.rememberLegend(ctx, series)();
                draw();
            });
            var top = legend.height() + 4;
            legendWrap.attr('transform', 'translate(0,0)');
            var rows = config.rows;
            var height = top + rows.length * rowHeight + axisHeight + 6;
            ctx.svg.style.height = height + 'px';
            if (!rows.length) {
                root.append('text').attr('class', 'nv-noData')
                    .attr('x', width / 2).attr('y', top + 30).style('text-anchor', 'middle')
                    .text(self.label('no_data'));
                return;
            }
            var pad = 8;
            var inner = width - 2 * pad - (config.axis ? 8 : 0);
            var common = config.domain ? d3.scale.linear().domain(config.domain).range([pad, pad + inner]) : null;
            var body = root.append('g').attr('class', 'o_prm_rows_body');
            if (common && config.reference !== undefined && enabled('median')) {
                body.append('line').attr('class', 'o_prm_reference')
                    .attr('x1', common(config.reference)).attr('x2', common(config.reference))
                    .attr('y1', top).attr('y2', top + rows.length * rowHeight);
            }
            rows.forEach(function (row, index) {
                var y = top + index * rowHeight;
                var g = body.append('g').attr('class', 'o_prm_row');
                var valueText = g.append('text').attr('class', 'o_prm_row_value')
                    .attr('x', width - pad).attr('y', y + 11).style('text-anchor', 'end')
                    .text(row.value || '');
                var valueWidth = row.value ? self._textWidth(valueText.node()) + 8 : 0;
                var label = g.append('text').attr('class', 'o_prm_row_label')
                    .attr('x', pad).attr('y', y + 11).text(row.label);
                self._truncate(label.node(), row.label, inner - valueWidth);
                label.append('title').text(row.title || row.label);
                var markY = y + 16;
                if (row.empty) {
                    g.append('text').attr('class', 'o_prm_row_empty')
                        .attr('x', pad).attr('y', markY + 11).text(row.empty);
                    return;
                }
                var x = common;
                if (!x) {
                    var lo = row.domain[0];
                    var hi = row.domain[1];
                    var span = hi - lo || Math.abs(hi) || 1;
                    x = d3.scale.linear().domain([lo - 0.12 * span, hi + 0.12 * span]).range([pad, pad + inner]);
                }
                g.append('line').attr('class', 'o_prm_row_axis')
                    .attr('x1', pad).attr('x2', pad + inner).attr('y1', markY + 6).attr('y2', markY + 6);
                var marks = row.marks;
                if (marks.band && enabled('band') && isNum(marks.band[0]) && isNum(marks.band[1])) {
                    var x0 = x(Math.min(marks.band[0], marks.band[1]));
                    var x1 = x(Math.max(marks.band[0], marks.band[1]));
                    g.append('rect').attr('class', 'o_prm_band')
                        .attr('x', x0).attr('y', markY).attr('width', Math.max(x1 - x0, 1)).attr('height', 12)
                        .style('fill', COLORS.band)
                        .append('title').text(row.bandTitle || '');
                }
                if (isNum(marks.bar) && enabled('bar')) {
                    var base = x(0);
                    var end = x(marks.bar);
                    g.append('rect').attr('class', 'o_prm_bar')
                        .attr('x', Math.min(base, end)).attr('y', markY)
                        .attr('width', Math.max(Math.abs(end - base), 1)).attr('height', 12)
                        .style('fill', COLORS.own)
                        .append('title').text(row.title || '');
                }
                if (isNum(marks.median) && enabled('median')) {
                    g.append('line').attr('class', 'o_prm_median')
                        .attr('x1', x(marks.median)).attr('x2', x(marks.median))
                        .attr('y1', markY - 3).attr('y2', markY + 15)
                        .style('stroke', COLORS.median)
                        .append('title').text(row.medianTitle || '');
                }
                if (isNum(marks.own) && enabled('own')) {
                    g.append('circle').attr('class', 'o_prm_own')
                        .attr('cx', x(marks.own)).attr('cy', markY + 6).attr('r', 5.5)
                        .style('fill', COLORS.own)
                        .append('title').text(row.ownTitle || '');
                }
            });
            if (common && config.axis) {
                var axis = d3.svg.axis().scale(common).orient('bottom')
                    .tickValues(config.ticks || null).tickFormat(config.tickFormat || compact);
                var axisY = top + rows.length * rowHeight + 2;
                root.append('g').attr('class', 'nv-axis o_prm_rows_axis')
                    .attr('transform', 'translate(0,' + axisY + ')').call(axis);
            }
        }
        draw();
        ctx.update = draw;
        return ctx;
    },

    _textWidth: function (node) {
        try {
            return node.getComputedTextLength();
        } catch (error) {
            return 0;
        }
    },

    _truncate: function (node, text, maxWidth) {
        if (maxWidth <= 20 || this._textWidth(node) <= maxWidth) {
            return;
        }
        var cut = text.length;
        while (cut > 1 && this._textWidth(node) > maxWidth) {
            cut -= 1;
            node.textContent = text.slice(0, cut) + '…';
        }
    },

    /**
     * A donut of ``slices``: [{id, label, value, color, tip}] (values > 0).
     */
    drawDonut: function (ctx, slices) {
        this.applyLegend(ctx, slices);
        var chart = nv.models.pieChart()
            .margin({top: 10, right: 10, bottom: 10, left: 10})
            .x(function (d) { return d.label; })
            .y(function (d) { return d.value; })
            .color(function (d) { return d.color || (d.data && d.data.color); })
            .donut(true)
            .donutRatio(0.45)
            .showLabels(true)
            .labelType('percent')
            .labelThreshold(0.06)
            .showLegend(true)
            .duration(0)
            .noData(this.label('no_data'));
        chart.legend.maxKeyLength(40);
        chart.tooltip.contentGenerator(this.tooltip(null));
        d3.select(ctx.svg).datum(slices).call(chart);
        chart.dispatch.on('stateChange.prm', this.rememberLegend(ctx, slices));
        ctx.update = function () { chart.update(); };
        return ctx;
    },
});

return {ChartKit: ChartKit, COLORS: COLORS, CHART_HEIGHT: CHART_HEIGHT};
});
