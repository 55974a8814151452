odoo.define('prm_benchmark.analysis', function (require) {
'use strict';

/**
 * Interactive charts of the dealer's benchmark analysis (/my/benchmark).
 *
 * The page embeds the data of the current view as JSON; changing the period
 * or the comparison group fetches the data of the new view once from
 * /my/benchmark/data and redraws everything. All charts use nvd3 1.8 / d3 v3
 * shipped with Odoo; the row charts (quartile band, percentile profile) are
 * drawn with d3 directly but use the nvd3 legend so series can be switched
 * on and off like everywhere else.
 *
 * Values may be null (missing or withheld for anonymity): null never becomes
 * a point, a bar height or a NaN attribute; the panel says why instead.
 */

var ajax = require('web.ajax');
var core = require('web.core');
var session = require('web.session');

var _t = core._t;

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
    mix: ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'],
    metrics: ['#1f77b4', '#2ca02c', '#9467bd', '#d62728', '#8c564b'],
};
var INDEX_MIN = -100;
var INDEX_MAX = 300;
var CHART_HEIGHT = 260;
var NARROW = 480;
var STALE_RELOAD_MS = 5000;   // while the statistics are being updated

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

function isNum(value) {
    return typeof value === 'number' && isFinite(value);
}

/**
 * ``value`` with ``digits`` decimals in the user's number format (decimal
 * point and thousands separator of the language, as the server tables).
 */
function formatNumber(value, digits) {
    if (!isNum(value)) {
        return '';
    }
    var params = (_t.database && _t.database.parameters) || {};
    var point = params.decimal_point || '.';
    var separator = typeof params.thousands_sep === 'string' ? params.thousands_sep : ',';
    var fixed = Math.abs(value).toFixed(digits);
    var parts = fixed.split('.');
    var integer = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, separator);
    var negative = value < 0 && Number(fixed) !== 0;
    return (negative ? '-' : '') + integer + (parts[1] ? point + parts[1] : '');
}

/**
 * Decimals of a unit: the server's unit catalogue (``data.units``), so the
 * charts' tooltips show what the tables show. Set by ``Analysis``.
 */
var unitDecimals = {};

function digitsOf(unit) {
    return isNum(unitDecimals[unit]) ? unitDecimals[unit] : 1;
}

/** A value with its unit, for tooltips and texts. */
function formatValue(value, unit) {
    if (!isNum(value)) {
        return null;
    }
    var text = formatNumber(value, digitsOf(unit));
    if (unit === 'percent') {
        return text + ' %';
    }
    return text;
}

/** Short axis ticks: 1.2M, 850k, 12.5. */
function compact(value) {
    if (!isNum(value)) {
        return '';
    }
    var abs = Math.abs(value);
    if (abs >= 1e6) {
        return formatNumber(value / 1e6, abs >= 1e7 ? 0 : 1) + 'M';
    }
    if (abs >= 1e4) {
        return formatNumber(value / 1e3, 0) + 'k';
    }
    if (abs >= 100 || value === Math.round(value)) {
        return formatNumber(value, 0);
    }
    return formatNumber(value, abs >= 10 ? 1 : 2);
}

function escapeHtml(text) {
    return String(text === null || text === undefined ? '' : text)
        .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function yearOf(name) {
    var match = /(\d{4})/.exec(name || '');
    return match ? match[1] : (name || '');
}

function mean(values) {
    var present = values.filter(isNum);
    if (!present.length) {
        return null;
    }
    return present.reduce(function (a, b) { return a + b; }, 0) / present.length;
}

function sum(values) {
    var present = values.filter(isNum);
    if (!present.length) {
        return null;
    }
    return present.reduce(function (a, b) { return a + b; }, 0);
}

function clamp(value, low, high) {
    return Math.max(low, Math.min(high, value));
}

/** Index of a value against the group median (median = 100). */
function toIndex(value, median) {
    if (!isNum(value) || !isNum(median) || median === 0) {
        return null;
    }
    return 100 + 100 * (value - median) / Math.abs(median);
}

// ---------------------------------------------------------------------------
// The page
// ---------------------------------------------------------------------------

function Analysis($root, data) {
    this.$root = $root;
    this.$charts = $root.find('#o_prm_charts');
    this.$tables = $root.find('.o_prm_tables');
    this.$period = $root.find('#o_prm_period');
    this.$group = $root.find('#o_prm_group');
    this.data = data;
    unitDecimals = data.units || {};
    this.charts = [];
    this.disabled = {};
    this.renderCount = 0;
    this.requestSeq = 0;
    var params = this._urlParams();
    this.view = params.view === 'tables' ? 'tables' : 'charts';
    this.scale = params.scale === 'per_employee' ? 'per_employee' : 'absolute';
    this.granularity = params.granularity === 'year' ? 'year' : 'quarter';
    this.narrow = null;
}

Analysis.prototype = {

    start: function () {
        var self = this;
        this.$root.find('.o_prm_toggles').on('click', 'button', function (ev) {
            ev.preventDefault();
            var $button = $(ev.currentTarget);
            var before = [self.view, self.scale, self.granularity].join();
            if ($button.data('view')) {
                self.view = $button.data('view');
            } else if ($button.data('scale')) {
                self.scale = $button.data('scale');
            } else if ($button.data('granularity')) {
                self.granularity = $button.data('granularity');
            } else {
                return;
            }
            if ([self.view, self.scale, self.granularity].join() === before) {
                return;
            }
            self._syncToggles();
            self._updateUrl();
            self.render();
        });
        this._updateFreshness();
        this.$period.on('change', function () { self.load(); });
        this.$group.on('change', function () { self.load(); });
        this.$root.find('form.o_prm_analysis_filters').on('submit', function (ev) {
            ev.preventDefault();
            self.load();
        });
        var timer = null;
        this._onResize = function () {
            clearTimeout(timer);
            timer = setTimeout(function () { self._resize(); }, 150);
        };
        nv.utils.windowResize(this._onResize);
        this._syncToggles();
        this.render();
    },

    // --- state, URL, toggles ---------------------------------------------------

    _urlParams: function () {
        var result = {};
        (window.location.search || '').replace(/^\?/, '').split('&').forEach(function (pair) {
            if (!pair) {
                return;
            }
            var parts = pair.split('=');
            try {
                result[decodeURIComponent(parts[0])] = decodeURIComponent(parts[1] || '');
            } catch (error) {
                // a malformed parameter is ignored
            }
        });
        return result;
    },

    _updateUrl: function () {
        if (!window.history || !window.history.replaceState) {
            return;
        }
        var query = [
            'period_id=' + encodeURIComponent(this.data.period.id),
            'group_id=' + encodeURIComponent(this.data.group.id),
        ];
        if (this.view !== 'charts') {
            query.push('view=' + this.view);
        }
        if (this.scale !== 'absolute') {
            query.push('scale=' + this.scale);
        }
        if (this.granularity !== 'quarter') {
            query.push('granularity=' + this.granularity);
        }
        window.history.replaceState(null, '', window.location.pathname + '?' + query.join('&'));
    },

    _syncToggles: function () {
        var self = this;
        this.$root.find('.o_prm_toggles button').each(function () {
            var $button = $(this);
            var active = $button.data('view') === self.view ||
                $button.data('scale') === self.scale ||
                $button.data('granularity') === self.granularity;
            $button.toggleClass('active', active).attr('aria-pressed', active ? 'true' : 'false');
        });
        this.$charts.toggleClass('hidden', this.view !== 'charts');
        this.$tables.toggleClass('hidden', this.view !== 'tables');
    },

    // --- loading a view --------------------------------------------------------

    load: function () {
        var self = this;
        var seq = ++this.requestSeq;
        var params = {
            period_id: parseInt(this.$period.val(), 10) || null,
            group_id: parseInt(this.$group.val(), 10) || null,
        };
        this._clearError();
        this.$root.addClass('o_prm_loading');
        var request = ajax.jsonRpc('/my/benchmark/data', 'call', params);
        request.fail(function (error, event) {
            // handled here: no generic RPC error dialog
            if (event && event.preventDefault) {
                event.preventDefault();
            }
            if (seq !== self.requestSeq) {
                return;
            }
            self.$root.removeClass('o_prm_loading');
            self._showError(_t("The data could not be loaded. Please try again."));
            self._syncSelects();
        });
        request.done(function (result) {
            if (seq !== self.requestSeq) {
                return;
            }
            self.$root.removeClass('o_prm_loading');
            if (!result || result.error) {
                self._showError(result && result.error ? result.error : _t("The data could not be loaded."));
                self._syncSelects();
                return;
            }
            self.data = result;
            unitDecimals = result.units || unitDecimals;
            self._syncSelects();
            self._updateExportLink();
            self._updateTables();
            self._updateFreshness();
            self._updateUrl();
            self.render();
        });
    },

    _showError: function (message) {
        this._clearError();
        $('<div class="alert alert-danger o_prm_analysis_error" role="alert"/>')
            .text(message).insertBefore(this.$root.find('.o_prm_toggles'));
    },

    _clearError: function () {
        this.$root.find('.o_prm_analysis_error').remove();
    },

    /** Selects show the view that is displayed (also after a refusal). */
    _syncSelects: function () {
        var data = this.data;
        this.$period.val(String(data.period.id));
        if (data.groups && data.groups.length) {
            var $group = this.$group.empty();
            data.groups.forEach(function (group) {
                $('<option/>').attr('value', group.id).text(group.name).appendTo($group);
            });
        }
        this.$group.val(String(data.group.id));
        this.$root.attr({'data-period-id': data.period.id, 'data-group-id': data.group.id});
    },

    _updateExportLink: function () {
        this.$root.find('a.o_prm_export').attr('href',
            '/my/benchmark/export.xlsx?period_id=' + this.data.period.id +
            '&group_id=' + this.data.group.id);
    },

    /** "Statistics as of <time>" and "being updated" of the new view. */
    _updateFreshness: function () {
        var self = this;
        var labels = this.data.labels || {};
        var fresh = this.data.freshness || {};
        var $p = this.$root.find('.o_prm_freshness').empty()
            .attr('data-stale', fresh.stale ? '1' : '0');
        if (fresh.as_of) {
            $p.append(document.createTextNode((labels.as_of || '%s').replace('%s', fresh.as_of) + ' '));
        }
        if (fresh.stale) {
            $('<span class="label label-warning o_prm_stale"/>')
                .append('<i class="fa fa-refresh"/> ')
                .append(document.createTextNode(labels.stale || ''))
                .appendTo($p);
        }
        // Held back by the release rule (time differencing): said, no reload.
        if (fresh.held_back) {
            $('<span class="o_prm_held_back"/>')
                .text(labels.held_back || '').appendTo($p);
        }
        // "Give to get": no statistics without an own counted entry.
        this.$root.find('.o_prm_give_to_get').text(this.data.give_to_get || '')
            .toggleClass('hidden', !this.data.give_to_get);
        // Being updated: the view reloads itself until the numbers are current.
        clearTimeout(this.freshnessTimer);
        if (fresh.stale) {
            this.freshnessTimer = setTimeout(function () { self.load(); }, STALE_RELOAD_MS);
        }
    },

    /** The server-rendered tables, refilled for the new view. */
    _updateTables: function () {
        // The cells come formatted from the server (lib/analysis_view.py):
        // nothing is rounded or formatted here.
        var labels = this.data.labels || {};
        var byCode = {};
        (this.data.kpis || []).forEach(function (kpi) { byCode[kpi.code] = kpi; });
        function td(text, extra) {
            return $('<td class="text-right"/>').addClass(extra || '').text(text || '');
        }
        this.$tables.find('tr[data-kpi]').each(function () {
            var $row = $(this);
            var kpi = byCode[$row.attr('data-kpi')];
            if (!kpi) {
                return;
            }
            var cells = kpi.cells || {};
            var protectedKeys = kpi.withheld_fields || {};
            $row.children('td').slice(1).remove();
            $row.append(td(cells.own, 'o_prm_own'));
            $row.append(td(cells.change));
            if (kpi.stats && kpi.stats.withheld) {
                $('<td colspan="5" class="text-center text-muted o_prm_withheld"/>')
                    .append('<i class="fa fa-user-secret"/> ')
                    .append(document.createTextNode(labels.withheld || ''))
                    .appendTo($row);
            } else {
                ['q1', 'median', 'q3', 'top_quartile_mean'].forEach(function (key) {
                    var reason = protectedKeys[key];
                    var extra = (key === 'median' ? 'o_prm_median' : '') +
                        (reason === 'protect_other_firms' || reason === 'p_percent' ?
                            ' text-muted o_prm_protected' : '');
                    td(cells[key], extra).attr('data-stat', key).appendTo($row);
                });
                $row.append(td(cells.rank));
            }
            $row.append(td(cells.count));
        });
    },

    // --- drawing ---------------------------------------------------------------

    render: function () {
        if (this.view !== 'charts') {
            this.dirty = true;
            return;
        }
        this.dirty = false;
        if (nv.tooltip && nv.tooltip.cleanup) {
            nv.tooltip.cleanup();
        }
        this.charts = [];
        this.$charts.empty();
        this.narrow = this._isNarrow();
        var builders = this._builders();
        for (var i = 0; i < builders.length; i++) {
            var ctx = null;
            try {
                ctx = builders[i].call(this);
            } catch (error) {
                // One broken chart must not take the others with it.
                this.$charts.find('.o_prm_chart').last().addClass('o_prm_chart_failed');
            }
            if (ctx && ctx.update) {
                this.charts.push(ctx);
            }
        }
        this.renderCount += 1;
        this.$charts.attr({
            'data-period-id': this.data.period.id,
            'data-group-id': this.data.group.id,
            'data-scale': this.scale,
            'data-granularity': this.granularity,
            'data-render-count': this.renderCount,
        });
    },

    _isNarrow: function () {
        return (this.$charts.width() || window.innerWidth) < 2 * NARROW;
    },

    _resize: function () {
        if (this.view !== 'charts') {
            return;
        }
        if (this._isNarrow() !== this.narrow) {
            this.render();
            return;
        }
        this.charts.forEach(function (chart) {
            chart.update();
        });
    },

    _builders: function () {
        var self = this;
        var list = [
            this._revenueTrendChart,
            this._growthChart,
            this._mixDonutChart,
            this._mixPeriodsChart,
            this._targetsRevenueChart,
            this._targetsAttainmentChart,
        ];
        (this.data.sections || []).forEach(function (section) {
            list.push(function () { return self._sectionCompareChart(section); });
            list.push(function () { return self._sectionRangeChart(section); });
        });
        list.push(
            this._marginsChart,
            this._capitalTrendChart,
            this._backlogChart,
            this._stockTurnoverChart,
            this._serviceTrendChart
        );
        ['rev_per_employee', 'gross_margin'].forEach(function (code) {
            if ((self.data.distribution || {})[code]) {
                list.push(function () { return self._histogramChart(code); });
            }
        });
        list.push(this._profileChart);
        return list;
    },

    label: function (key, fallback) {
        var labels = this.data.labels || {};
        return labels[key] || fallback || key;
    },

    kpi: function (code) {
        var kpis = this.data.kpis || [];
        for (var i = 0; i < kpis.length; i++) {
            if (kpis[i].code === code) {
                return kpis[i];
            }
        }
        return null;
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
        $col.append($panel).appendTo(this.$charts);
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
                    escapeHtml(head) + '</strong></td></tr></thead>';
            }
            html += '<tbody>';
            rows.forEach(function (row) {
                var point = row.data || d.data || {};
                if (row.data && isNum(row.data.x) && isNum(d.value) && row.data.x !== d.value) {
                    return;  // nearest point of a series with a gap: another period
                }
                var text = point.tip !== undefined ? point.tip : compact(row.value);
                html += '<tr><td class="legend-color-guide"><div style="background-color: ' +
                    escapeHtml(row.color) + ';"></div></td><td class="key">' +
                    escapeHtml(row.key) + '</td><td class="value">' +
                    escapeHtml(text === null ? self.label('no_data') : text) + '</td></tr>';
            });
            return html + '</tbody></table>';
        };
    },

    /** Bucket the trend axis: quarters as they are, or calendar years. */
    buckets: function () {
        var periods = this.data.periods || [];
        if (this.granularity !== 'year') {
            return {
                labels: periods.map(function (p) { return p.name; }),
                groups: periods.map(function (p, i) { return [i]; }),
            };
        }
        var order = [];
        var byYear = {};
        periods.forEach(function (period, i) {
            var year = yearOf(period.name);
            if (!(year in byYear)) {
                byYear[year] = order.length;
                order.push({year: year, indexes: []});
            }
            order[byYear[year]].indexes.push(i);
        });
        return {
            labels: order.map(function (item) {
                return item.indexes.length < 4 ?
                    item.year + ' (' + item.indexes.length + '/4)' : item.year;
            }),
            groups: order.map(function (item) { return item.indexes; }),
        };
    },

    aggregate: function (values, buckets, how) {
        values = values || [];
        return buckets.groups.map(function (indexes) {
            var picked = indexes.map(function (i) { return values[i]; });
            return how === 'sum' ? sum(picked) : mean(picked);
        });
    },

    axisLabel: function (how) {
        if (this.granularity !== 'year') {
            return this.label('quarter');
        }
        return how === 'sum' ? _t("Year (sum of the quarters)") : _t("Year (mean of the quarters)");
    },

    // --- generic nvd3 charts ------------------------------------------------------

    /**
     * Lines over the trend axis. ``lines``: [{id, key, color, values, dashed}]
     * with one value (or null) per bucket.
     */
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
        var series = lines.map(function (line) {
            var values = [];
            (line.values || []).forEach(function (value, i) {
                if (isNum(value)) {
                    values.push({x: i, y: value, tip: formatValue(value, unit)});
                }
            });
            return {id: line.id, key: line.key, color: line.color, values: values,
                    classed: line.dashed ? 'o_prm_dashed' : ''};
        });
        this.applyLegend(ctx, series);
        var empty = !series.some(function (item) { return item.values.length; });
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
            .tickFormat(function (i) { return buckets.labels[i] !== undefined ? buckets.labels[i] : ''; })
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
        ctx.empty = empty;
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

    // --- the charts --------------------------------------------------------------

    /** (i) Own percentile per KPI, 100 = best of the group. */
    _profileChart: function () {
        var self = this;
        var kpis = this.data.kpis || [];
        var ctx = this.panel('profile', _t("KPI profile: your percentile in the group"),
            '0–100', _t("100 = best value of the group; the line marks the middle (50)."));
        var rows = kpis.map(function (kpi) {
            var withheld = kpi.stats && kpi.stats.withheld;
            var ok = !withheld && isNum(kpi.percentile);
            var value = ok ? formatNumber(kpi.percentile, 0) : '';
            return {
                label: kpi.name,
                title: kpi.name + (ok ? ': ' + value + (kpi.rank ? ' (' + kpi.rank + '/' + kpi.of + ')' : '') : ''),
                value: value,
                empty: withheld ? self.label('withheld') : (ok ? null : self.label('no_data')),
                marks: {bar: ok ? kpi.percentile : null},
            };
        });
        this.drawRows(ctx, {
            series: [
                {id: 'bar', key: this.label('percentile'), color: COLORS.own},
                {id: 'median', key: this.label('median') + ' (50)', color: COLORS.median},
            ],
            rows: rows,
            rowHeight: 30,
            domain: [0, 100],
            reference: 50,
            axis: true,
            ticks: [0, 25, 50, 75, 100],
            tickFormat: function (v) { return formatNumber(v, 0); },
        });
        this.note(ctx, []);
        return ctx;
    },

    /** (c) Total revenue (or revenue per employee) over time, own vs median. */
    _revenueTrendChart: function () {
        var perEmployee = this.scale === 'per_employee';
        var kpi = this.kpi(perEmployee ? 'rev_per_employee' : 'rev_total');
        return this._kpiTrend('trend_revenue', kpi, {
            title: kpi ? kpi.name : _t("Revenue"),
            subtitle: perEmployee ? _t("Per employee: revenue per employee of you and the group.") : null,
            quartiles: true,
        });
    },

    /** (d) Growth over time. */
    _growthChart: function () {
        return this._kpiTrend('trend_growth', this.kpi('growth'), {});
    },

    /** (g) Backlog in months with the quartile lines. */
    _backlogChart: function () {
        return this._kpiTrend('trend_backlog', this.kpi('backlog_months'), {quartiles: true});
    },

    /** (h) Stock turnover with the quartile lines. */
    _stockTurnoverChart: function () {
        return this._kpiTrend('trend_stock_turnover', this.kpi('stock_turnover'), {quartiles: true});
    },

    _kpiTrend: function (id, kpi, options) {
        var buckets = this.buckets();
        var title = options.title || (kpi ? kpi.name : id);
        var ctx = this.panel(id, title + ' – ' + _t("trend"), kpi ? kpi.unit_label : '',
            options.subtitle || (this.granularity === 'year' ? _t("Yearly values are the mean of the quarters.") : null));
        if (!kpi) {
            this.drawLines(ctx, [], {buckets: buckets});
            return ctx;
        }
        var trend = kpi.trend || {};
        var lines = [
            {id: 'own', key: this.label('own'), color: COLORS.own,
             values: this.aggregate(trend.own, buckets)},
            {id: 'median', key: this.label('median'), color: COLORS.median,
             values: this.aggregate(trend.median, buckets)},
        ];
        if (options.quartiles) {
            lines.push(
                {id: 'q3', key: this.label('q3'), color: COLORS.q3, dashed: true,
                 values: this.aggregate(trend.q3, buckets)},
                {id: 'q1', key: this.label('q1'), color: COLORS.q1, dashed: true,
                 values: this.aggregate(trend.q1, buckets)}
            );
        }
        this.drawLines(ctx, lines, {
            buckets: buckets, unit: kpi.unit, yLabel: kpi.unit_label,
            xLabel: this.axisLabel('mean'),
            noData: kpi.stats && kpi.stats.withheld ? this.label('withheld') : this.label('no_data'),
        });
        this.note(ctx, this._trendNotes([kpi]));
        return ctx;
    },

    _trendNotes: function (kpis) {
        var self = this;
        var notes = [];
        kpis.forEach(function (kpi) {
            if (!kpi) {
                return;
            }
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

    /** (m) Receivables and stock reach in days. */
    _capitalTrendChart: function () {
        return this._multiKpiTrend('trend_capital', ['dso', 'stock_days'],
            _t("Receivables and stock days – trend"));
    },

    /** (n) Service: billable ratio and warranty share. */
    _serviceTrendChart: function () {
        return this._multiKpiTrend('trend_service', ['billable_ratio', 'warranty_share'],
            _t("Workshop: billable ratio and warranty share – trend"));
    },

    _multiKpiTrend: function (id, codes, title) {
        var self = this;
        var buckets = this.buckets();
        var kpis = codes.map(function (code) { return self.kpi(code); }).filter(function (k) { return k; });
        var unit = kpis.length ? kpis[0].unit : null;
        var ctx = this.panel(id, title, kpis.length ? kpis[0].unit_label : '',
            this.granularity === 'year' ? _t("Yearly values are the mean of the quarters.") : null);
        var palette = [COLORS.own, '#d62728'];
        var lines = [];
        kpis.forEach(function (kpi, i) {
            var trend = kpi.trend || {};
            lines.push(
                {id: kpi.code + '_own', key: kpi.name + ' – ' + self.label('own'), color: palette[i % 2],
                 values: self.aggregate(trend.own, buckets)},
                {id: kpi.code + '_median', key: kpi.name + ' – ' + self.label('median'),
                 color: d3.rgb(palette[i % 2]).brighter(1.2).toString(), dashed: true,
                 values: self.aggregate(trend.median, buckets)}
            );
        });
        this.drawLines(ctx, lines, {
            buckets: buckets, unit: unit, yLabel: kpis.length ? kpis[0].unit_label : '',
            xLabel: this.axisLabel('mean'),
        });
        this.note(ctx, this._trendNotes(kpis));
        return ctx;
    },

    /** Revenue lines of the dealer, per period, optionally per employee. */
    _mixValues: function () {
        var mix = this.data.revenue_mix || {};
        var perEmployee = this.scale === 'per_employee';
        var employees = mix.employees || [];
        var result = {};
        (mix.lines || []).forEach(function (line) {
            result[line.code] = ((mix.own || {})[line.code] || []).map(function (value, i) {
                if (!perEmployee) {
                    return isNum(value) ? value : null;
                }
                return isNum(value) && isNum(employees[i]) && employees[i] > 0 ? value / employees[i] : null;
            });
        });
        return result;
    },

    _mixUnit: function () {
        var kpi = this.kpi(this.scale === 'per_employee' ? 'rev_per_employee' : 'rev_total');
        if (kpi && kpi.unit_label) {
            return kpi.unit_label;
        }
        return this.scale === 'per_employee' ? this.label('per_employee') : this.label('absolute');
    },

    /** (e) Revenue mix of the current period. */
    _mixDonutChart: function () {
        var self = this;
        var mix = this.data.revenue_mix || {};
        var periods = this.data.periods || [];
        var index = -1;
        periods.forEach(function (period, i) {
            if (period.id === self.data.period.id) {
                index = i;
            }
        });
        if (index < 0) {
            index = periods.length - 1;
        }
        var values = this._mixValues();
        var ctx = this.panel('mix_donut', _t("Revenue mix") + ' ' + (this.data.period.name || ''),
            this._mixUnit(), _t("Share of each revenue line in your total revenue."), 300);
        var slices = (mix.lines || []).map(function (line, i) {
            var value = (values[line.code] || [])[index];
            return {id: line.code, label: line.label, value: isNum(value) && value > 0 ? value : null,
                    color: COLORS.mix[i % COLORS.mix.length]};
        }).filter(function (slice) { return slice.value !== null; });
        var total = slices.reduce(function (a, s) { return a + s.value; }, 0);
        slices.forEach(function (slice) {
            slice.tip = formatValue(slice.value, 'currency') + ' (' + formatNumber(100 * slice.value / total, 1) + ' %)';
        });
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
        this.note(ctx, slices.length ? [] : [this.label('own') + ' – ' + this.label('no_data')]);
        return ctx;
    },

    /** (f) Revenue lines stacked over the periods (or years). */
    _mixPeriodsChart: function () {
        var self = this;
        var mix = this.data.revenue_mix || {};
        var buckets = this.buckets();
        var perEmployee = this.scale === 'per_employee';
        var employees = this.aggregate(mix.employees, buckets, 'mean');
        var raw = {};
        (mix.lines || []).forEach(function (line) {
            raw[line.code] = self.aggregate((mix.own || {})[line.code], buckets, 'sum');
        });
        var ctx = this.panel('mix_periods', _t("Revenue by line over time"), this._mixUnit(),
            (this.granularity === 'year' ? _t("Yearly bars are the sum of the quarters.") + ' ' : '') +
            (perEmployee ? _t("Divided by the number of employees.") : ''));
        var groups = (mix.lines || []).map(function (line, i) {
            return {
                id: line.code, key: line.label, color: COLORS.mix[i % COLORS.mix.length],
                values: buckets.labels.map(function (label, b) {
                    var value = raw[line.code][b];
                    if (perEmployee) {
                        value = isNum(value) && isNum(employees[b]) && employees[b] > 0 ? value / employees[b] : null;
                    }
                    return {x: label, y: isNum(value) ? value : 0, tip: formatValue(value, 'currency')};
                }),
            };
        });
        this.drawBars(ctx, groups, {
            categories: buckets.labels,
            stacked: true, reduceXTicks: this.narrow, yLabel: this._mixUnit(),
            rotateLabels: this.narrow && buckets.labels.length > 4 ? -30 : 0,
            bottom: this.narrow ? 56 : 44,
        });
        this.note(ctx, []);
        return ctx;
    },

    _targetRows: function (metricCode) {
        var buckets = this.granularity === 'year';
        var rows = (this.data.targets || []).filter(function (t) {
            return !metricCode || t.metric_code === metricCode;
        });
        if (!buckets) {
            return rows.map(function (t) {
                return {label: t.period, metric: t.metric, code: t.metric_code,
                        target: t.target, actual: t.actual, attainment: t.attainment};
            });
        }
        var order = [];
        var byKey = {};
        rows.forEach(function (t) {
            var key = yearOf(t.period) + '|' + t.metric_code;
            if (!(key in byKey)) {
                byKey[key] = {label: yearOf(t.period), metric: t.metric, code: t.metric_code,
                              target: [], actual: []};
                order.push(byKey[key]);
            }
            byKey[key].target.push(t.target);
            byKey[key].actual.push(t.actual);
        });
        return order.map(function (item) {
            var target = sum(item.target);
            var actual = sum(item.actual);
            var label = item.target.length < 4 ? item.label + ' (' + item.target.length + '/4)' : item.label;
            return {label: label, metric: item.metric, code: item.code, target: target, actual: actual,
                    attainment: isNum(target) && isNum(actual) && target ? 100 * actual / target : null};
        });
    },

    /** (k) Revenue target vs actual per period. */
    _targetsRevenueChart: function () {
        var self = this;
        var rows = this._targetRows('revenue');
        var ctx = this.panel('targets_revenue', _t("Revenue: target and actual"), _t("Currency"),
            this.granularity === 'year' ? _t("Yearly bars are the sum of the quarters.") : null);
        function point(row, value) {
            var tip = formatValue(value, 'currency');
            if (tip !== null && isNum(row.attainment)) {
                tip += ' (' + self.label('attainment') + ': ' + formatNumber(row.attainment, 1) + ')';
            }
            return {x: row.label, y: value, tip: tip};
        }
        this.drawBars(ctx, [
            {id: 'target', key: this.label('target'), color: COLORS.target,
             values: rows.map(function (row) { return point(row, row.target); })},
            {id: 'actual', key: this.label('actual'), color: COLORS.actual,
             values: rows.map(function (row) { return point(row, row.actual); })},
        ], {
            categories: rows.map(function (row) { return row.label; }),
            reduceXTicks: this.narrow, yLabel: _t("Currency"),
            rotateLabels: this.narrow && rows.length > 4 ? -30 : 0,
            bottom: this.narrow ? 56 : 44,
        });
        this.note(ctx, rows.length ? [] : [this.label('target') + ' – ' + this.label('no_data')]);
        return ctx;
    },

    /** (k) Target attainment of every target metric over time. */
    _targetsAttainmentChart: function () {
        var rows = this._targetRows(null);
        var labels = [];
        var metrics = [];
        var byMetric = {};
        rows.forEach(function (row) {
            if (labels.indexOf(row.label) < 0) {
                labels.push(row.label);
            }
            if (!(row.code in byMetric)) {
                byMetric[row.code] = {name: row.metric, values: {}};
                metrics.push(row.code);
            }
            byMetric[row.code].values[row.label] = row.attainment;
        });
        var buckets = {labels: labels, groups: labels.map(function (l, i) { return [i]; })};
        var ctx = this.panel('targets_attainment', this.label('attainment'), '',
            _t("100 % = target reached."));
        var lines = metrics.map(function (code, i) {
            return {id: code, key: byMetric[code].name, color: COLORS.metrics[i % COLORS.metrics.length],
                    values: labels.map(function (label) { return byMetric[code].values[label]; })};
        });
        lines.push({id: 'goal', key: this.label('target') + ' (100 %)', color: COLORS.target, dashed: true,
                    values: labels.map(function () { return metrics.length ? 100 : null; })});
        this.drawLines(ctx, lines, {
            buckets: buckets, unit: 'percent', yLabel: '%', xLabel: this.axisLabel('sum'),
            forceY: [80, 120],
        });
        this.note(ctx, []);
        return ctx;
    },

    /** (a) Own vs median vs top quartile, as index against the median. */
    _sectionCompareChart: function (section) {
        var kpis = (this.data.kpis || []).filter(function (kpi) { return kpi.section === section.key; });
        var ctx = this.panel('cmp_' + section.key, section.label, _t("Index, group median = 100"),
            _t("Each KPI is shown relative to the group median (= 100), so different units fit one axis. Hover for the real values."));
        var capped = [];
        function point(kpi, value, name) {
            var median = kpi.stats ? kpi.stats.median : null;
            var index = toIndex(value, median);
            var tip = formatValue(value, kpi.unit);
            if (tip !== null) {
                tip += kpi.unit_label && kpi.unit !== 'percent' ? ' ' + kpi.unit_label : '';
                if (index !== null) {
                    tip += ' (' + formatNumber(index, 0) + ')';
                }
            }
            var y = index === null ? null : clamp(index, INDEX_MIN, INDEX_MAX);
            if (index !== null && y !== index && capped.indexOf(kpi.name) < 0) {
                capped.push(kpi.name);
            }
            return {x: kpi.name, y: y, tip: tip, name: name};
        }
        this.drawBars(ctx, [
            {id: 'own', key: this.label('own'), color: COLORS.own,
             values: kpis.map(function (kpi) { return point(kpi, kpi.own); })},
            {id: 'median', key: this.label('median'), color: COLORS.median,
             values: kpis.map(function (kpi) { return point(kpi, kpi.stats ? kpi.stats.median : null); })},
            {id: 'top', key: this.label('top_quartile'), color: COLORS.top,
             values: kpis.map(function (kpi) { return point(kpi, kpi.stats ? kpi.stats.top_quartile_mean : null); })},
        ], {
            categories: kpis.map(function (kpi) { return kpi.name; }),
            wrapLabels: true, yLabel: _t("Index"), forceY: [0, 100],
            bottom: this.narrow ? 64 : 56,
            yFormat: function (v) { return formatNumber(v, 0); },
            noData: kpis.length && kpis.every(function (k) { return k.stats && k.stats.withheld; }) ?
                this.label('withheld') : this.label('no_data'),
        });
        var notes = this.kpiNotes(kpis, {top: true});
        if (capped.length) {
            notes.push(_t("Cut off at -100 / 300:") + ' ' + capped.join(', '));
        }
        this.note(ctx, notes);
        return ctx;
    },

    /** (b) Quartile band, median and own value per KPI of a section. */
    _sectionRangeChart: function (section) {
        var self = this;
        var kpis = (this.data.kpis || []).filter(function (kpi) { return kpi.section === section.key; });
        var ctx = this.panel('range_' + section.key, section.label + ' – ' + _t("position in the group"), '',
            _t("Band: lower to upper quartile, line: median, dot: your value (each row has its own scale)."));
        var rows = kpis.map(function (kpi) {
            var stats = kpi.stats || {};
            var direction = kpi.higher_is_better ? '▲' : '▼';
            var label = kpi.name + ' ' + direction;
            var own = isNum(kpi.own) ? kpi.own : null;
            var unitSuffix = kpi.unit !== 'percent' && kpi.unit_label ? ' ' + kpi.unit_label : '';
            var values = [stats.q1, stats.q3, stats.median, own].filter(isNum);
            var row = {
                label: label,
                title: kpi.name + ' (' + (kpi.higher_is_better ? _t("higher is better") : _t("lower is better")) + ')',
                value: own !== null ? formatValue(own, kpi.unit) : '',
                marks: {band: [stats.q1, stats.q3], median: stats.median, own: own},
                bandTitle: self.label('q1') + ': ' + (formatValue(stats.q1, kpi.unit) || '–') + unitSuffix +
                    ' – ' + self.label('q3') + ': ' + (formatValue(stats.q3, kpi.unit) || '–') + unitSuffix,
                medianTitle: self.label('median') + ': ' + (formatValue(stats.median, kpi.unit) || '–') + unitSuffix,
                ownTitle: self.label('own') + ': ' + (formatValue(own, kpi.unit) || '–') + unitSuffix,
            };
            if (stats.withheld) {
                row.empty = self.label('withheld');
            } else if (!values.length) {
                row.empty = self.label('no_data');
            } else {
                row.domain = [d3.min(values), d3.max(values)];
            }
            return row;
        });
        this.drawRows(ctx, {
            series: [
                {id: 'band', key: this.label('q1') + ' – ' + this.label('q3'), color: COLORS.band},
                {id: 'median', key: this.label('median'), color: COLORS.median},
                {id: 'own', key: this.label('own'), color: COLORS.own},
            ],
            rows: rows,
            rowHeight: 34,
        });
        this.note(ctx, [_t("▲ higher is better, ▼ lower is better")].concat(
            this.kpiNotes(kpis, {noWithheld: true})));
        return ctx;
    },

    /** (l) Gross margins per profit centre, own vs median. */
    _marginsChart: function () {
        var self = this;
        var kpis = ['margin_new', 'margin_used', 'margin_parts', 'gross_margin'].map(function (code) {
            return self.kpi(code);
        }).filter(function (k) { return k; });
        var ctx = this.panel('margins', _t("Gross margin per profit centre"), '%',
            _t("Own gross margin compared with the group median and the top quartile."));
        function point(kpi, value) {
            return {x: kpi.name, y: isNum(value) ? value : null, tip: formatValue(value, 'percent')};
        }
        this.drawBars(ctx, [
            {id: 'own', key: this.label('own'), color: COLORS.own,
             values: kpis.map(function (kpi) { return point(kpi, kpi.own); })},
            {id: 'median', key: this.label('median'), color: COLORS.median,
             values: kpis.map(function (kpi) { return point(kpi, kpi.stats && kpi.stats.median); })},
            {id: 'top', key: this.label('top_quartile'), color: COLORS.top,
             values: kpis.map(function (kpi) { return point(kpi, kpi.stats && kpi.stats.top_quartile_mean); })},
        ], {
            categories: kpis.map(function (kpi) { return kpi.name; }),
            wrapLabels: true, yLabel: '%', forceY: [0], bottom: this.narrow ? 64 : 56,
            yFormat: function (v) { return formatNumber(v, 0); },
        });
        this.note(ctx, this.kpiNotes(kpis, {top: true}));
        return ctx;
    },

    /** (j) Distribution of a KPI in the group, own bucket highlighted. */
    _histogramChart: function (code) {
        var kpi = this.kpi(code);
        var dist = this.data.distribution[code];
        var name = kpi ? kpi.name : code;
        var unit = kpi ? kpi.unit : null;
        var ctx = this.panel('hist_' + code, name + ' – ' + _t("distribution in the group"),
            kpi ? kpi.unit_label : '',
            _t("Number of dealers per range (5th to 95th percentile; values outside are counted in the first and last range)."));
        var edges = dist.edges || [];
        var counts = dist.counts || [];
        var ownBin = isNum(dist.own_bin) ? dist.own_bin : -1;
        function label(i) {
            return compact(edges[i]) + '–' + compact(edges[i + 1]);
        }
        function tip(i, count) {
            return formatNumber(count, 0) + ' (' + (formatValue(edges[i], unit) || '') + ' – ' +
                (formatValue(edges[i + 1], unit) || '') + ')';
        }
        var dealers = [];
        var own = [];
        counts.forEach(function (count, i) {
            var value = isNum(count) ? count : 0;
            dealers.push({x: label(i), y: i === ownBin ? 0 : value, tip: tip(i, value)});
            own.push({x: label(i), y: i === ownBin ? value : 0, tip: tip(i, value)});
        });
        this.drawBars(ctx, [
            {id: 'dealers', key: this.label('dealers'), color: COLORS.dealers, values: dealers},
            {id: 'own', key: this.label('your_position'), color: COLORS.own, values: own},
        ], {
            categories: counts.map(function (count, i) { return label(i); }),
            tickLabels: counts.map(function (count, i) { return compact(edges[i]); }),
            xLabel: _t("lower end of each range") + (kpi && kpi.unit_label ? ' (' + kpi.unit_label + ')' : ''),
            stacked: true, reduceXTicks: this.narrow, yLabel: this.label('dealers'),
            bottom: 48, xLabelDistance: -2,
            yFormat: function (v) { return v === Math.round(v) ? formatNumber(v, 0) : ''; },
        });
        this.note(ctx, ownBin < 0 ? [this.label('own') + ' – ' + this.label('no_data')] : []);
        return ctx;
    },
};

$(function () {
    var $data = $('#o_prm_analysis_data');
    var $root = $data.closest('.o_prm_analysis');
    if (!$data.length || !$root.length || typeof nv === 'undefined' || typeof d3 === 'undefined') {
        return;
    }
    var data;
    try {
        data = JSON.parse($data.text());
    } catch (error) {
        $('<div class="alert alert-danger o_prm_analysis_error" role="alert"/>')
            .text(_t("The analysis data could not be read."))
            .insertBefore($root.find('.o_prm_toggles'));
        return;
    }
    // Texts (_t) and the language's number separators are known once the
    // session has loaded the translations of our addons (see ir.http
    // _get_translation_frontend_modules_domain): draw only then (drawn
    // anyway, in English, if loading them fails).
    var started = false;
    function start() {
        if (started) {
            return;
        }
        started = true;
        var analysis = new Analysis($root, data);
        analysis.start();
        analysis._updateUrl();
        $root.data('prmAnalysis', analysis);
    }
    $.when(session.is_bound).always(start);
});

return {Analysis: Analysis, toIndex: toIndex, formatValue: formatValue};
});
