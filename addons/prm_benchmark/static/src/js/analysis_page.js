odoo.define('prm_benchmark.analysis_page', function (require) {
'use strict';

/**
 * The dealer's benchmark analysis (/my/benchmark) as a widget.
 *
 * The page embeds the data of the current view as JSON (the view model of
 * ``lib/analysis_view.py``, with its chart list); changing the period or
 * the comparison group fetches the data of the new view from
 * /my/benchmark/data (only the last request counts) and draws the server's
 * chart list again, each chart by its kind from ``prm_benchmark.chart_registry``.
 * The toggles (charts or tables, absolute or per employee, quarters or
 * years) redraw from the same data and are kept in the URL.
 */

var ajax = require('web.ajax');
var concurrency = require('web.concurrency');
var core = require('web.core');
var session = require('web.session');
var Widget = require('web.Widget');
var format = require('prm_benchmark.analysis_format');
var ChartKit = require('prm_benchmark.chart_kit').ChartKit;
var registry = require('prm_benchmark.chart_registry');

var _t = core._t;
var NARROW = 480;
var STALE_RELOAD_MS = 5000;   // while the statistics are being updated
var TOGGLES = {
    view: ['charts', 'tables'],
    scale: ['absolute', 'per_employee'],
    granularity: ['quarter', 'year'],
};

var AnalysisPage = Widget.extend({
    events: {
        'click .o_prm_toggles button': '_onToggle',
        'change #o_prm_period': '_onViewChange',
        'change #o_prm_group': '_onViewChange',
        'submit form.o_prm_analysis_filters': '_onViewChange',
    },

    /**
     * @param {Widget} parent
     * @param {Object} data the view model of the current view
     */
    init: function (parent, data) {
        this._super(parent);
        this.data = data;
        this.dropPrevious = new concurrency.DropPrevious();
        this.disabled = {};   // legend entries switched off, per chart id
        this.charts = [];
        this.renderCount = 0;
        this.narrow = null;
        var params = $.deparam(window.location.search.replace(/^\?/, ''));
        this.state = {};
        _.each(TOGGLES, function (values, key) {
            this.state[key] = _.contains(values, params[key]) ? params[key] : values[0];
        }, this);
    },

    start: function () {
        this.$charts = this.$('#o_prm_charts');
        this.$tables = this.$('.o_prm_tables');
        this.$period = this.$('#o_prm_period');
        this.$group = this.$('#o_prm_group');
        this._onResize = _.debounce(this._resize.bind(this), 150);
        $(window).on('resize.prm_analysis', this._onResize);
        this._updateFreshness();
        this._syncToggles();
        this._updateUrl();
        this.render();
        return this._super.apply(this, arguments);
    },

    destroy: function () {
        $(window).off('resize.prm_analysis');
        clearTimeout(this.freshnessTimer);
        this._super.apply(this, arguments);
    },

    // --- what the chart registry reads -----------------------------------------

    kpi: function (code) {
        return _.findWhere(this.data.kpis || [], {code: code}) || null;
    },

    /** The KPIs of ``codes`` that the view has, in that order. */
    kpis: function (codes) {
        return _.compact(_.map(codes, this.kpi, this));
    },

    /** The trend axis of the view: quarters or years. */
    axis: function () {
        return format.buckets(this.data.periods, this.state.granularity);
    },

    axisLabel: function (how) {
        if (this.state.granularity !== 'year') {
            return this.kit.label('quarter');
        }
        return how === 'sum' ? _t("Year (sum of the quarters)") : _t("Year (mean of the quarters)");
    },

    // --- drawing ---------------------------------------------------------------

    render: function () {
        if (this.state.view !== 'charts') {
            return;
        }
        if (nv.tooltip && nv.tooltip.cleanup) {
            nv.tooltip.cleanup();
        }
        this.$charts.empty();
        this.narrow = this._isNarrow();
        this.kit = new ChartKit(this.$charts, {
            labels: this.data.labels, narrow: this.narrow, disabled: this.disabled,
            decimals: this.data.units,
        });
        this.charts = [];
        _.each(this.data.charts || [], function (chart) {
            var draw = registry.get(chart.kind);
            var ctx = null;
            try {
                ctx = draw ? draw(this, chart) : null;
            } catch (error) {
                // One broken chart must not take the others with it.
                this.$charts.find('.o_prm_chart').last().addClass('o_prm_chart_failed');
            }
            if (ctx && ctx.update) {
                ctx.$panel.attr('data-kpis', (chart.kpis || []).join(' '));
                this.charts.push(ctx);
            }
        }, this);
        this.renderCount += 1;
        this.$charts.attr({
            'data-period-id': this.data.period.id,
            'data-group-id': this.data.group.id,
            'data-scale': this.state.scale,
            'data-granularity': this.state.granularity,
            'data-render-count': this.renderCount,
        });
    },

    _isNarrow: function () {
        return (this.$charts.width() || window.innerWidth) < 2 * NARROW;
    },

    _resize: function () {
        if (this.state.view !== 'charts') {
            return;
        }
        if (this._isNarrow() !== this.narrow) {
            this.render();
            return;
        }
        _.invoke(this.charts, 'update');
    },

    // --- state, URL, toggles ---------------------------------------------------

    _onToggle: function (ev) {
        ev.preventDefault();
        var $button = $(ev.currentTarget);
        var key = _.find(_.keys(TOGGLES), function (name) { return $button.data(name); });
        if (!key || this.state[key] === $button.data(key)) {
            return;
        }
        this.state[key] = $button.data(key);
        this._syncToggles();
        this._updateUrl();
        this.render();
    },

    _updateUrl: function () {
        if (!window.history || !window.history.replaceState) {
            return;
        }
        var query = {period_id: this.data.period.id, group_id: this.data.group.id};
        _.each(TOGGLES, function (values, key) {
            if (this.state[key] !== values[0]) {
                query[key] = this.state[key];
            }
        }, this);
        window.history.replaceState(null, '', window.location.pathname + '?' + $.param(query));
    },

    _syncToggles: function () {
        var state = this.state;
        this.$('.o_prm_toggles button').each(function () {
            var $button = $(this);
            var active = _.some(_.keys(TOGGLES), function (key) {
                return $button.data(key) === state[key];
            });
            $button.toggleClass('active', active).attr('aria-pressed', active ? 'true' : 'false');
        });
        this.$charts.toggleClass('hidden', state.view !== 'charts');
        this.$tables.toggleClass('hidden', state.view !== 'tables');
    },

    // --- loading a view --------------------------------------------------------

    _onViewChange: function (ev) {
        ev.preventDefault();
        this.load();
    },

    load: function () {
        var self = this;
        this._clearError();
        this.$el.addClass('o_prm_loading');
        var request = ajax.jsonRpc('/my/benchmark/data', 'call', {
            period_id: parseInt(this.$period.val(), 10) || null,
            group_id: parseInt(this.$group.val(), 10) || null,
        });
        request.fail(function (error, event) {
            // handled here: no generic RPC error dialog
            if (event && event.preventDefault) {
                event.preventDefault();
            }
        });
        return this.dropPrevious.add(request).then(function (result) {
            self.$el.removeClass('o_prm_loading');
            if (!result || result.error) {
                self._showError(result && result.error ? result.error : _t("The data could not be loaded."));
                self._syncSelects();
                return;
            }
            self.data = result;
            self._syncSelects();
            self._updateExportLink();
            self._updateTables();
            self._updateFreshness();
            self._updateUrl();
            self.render();
        }, function (error) {
            if (!error) {
                return;   // dropped: a newer request is under way
            }
            self.$el.removeClass('o_prm_loading');
            self._showError(_t("The data could not be loaded. Please try again."));
            self._syncSelects();
        });
    },

    _showError: function (message) {
        this._clearError();
        $('<div class="alert alert-danger o_prm_analysis_error" role="alert"/>')
            .text(message).insertBefore(this.$('.o_prm_toggles'));
    },

    _clearError: function () {
        this.$('.o_prm_analysis_error').remove();
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
        this.$el.attr({'data-period-id': data.period.id, 'data-group-id': data.group.id});
    },

    _updateExportLink: function () {
        var query = $.param({period_id: this.data.period.id, group_id: this.data.group.id});
        this.$('a.o_prm_export').attr('href', '/my/benchmark/export.xlsx?' + query);
        this.$('a.o_prm_report').attr('href', '/my/benchmark/report.pdf?' + query);
    },

    /** "Statistics as of <time>" and "being updated" of the view. */
    _updateFreshness: function () {
        var labels = this.data.labels || {};
        var fresh = this.data.freshness || {};
        var $p = this.$('.o_prm_freshness').empty()
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
        this.$('.o_prm_give_to_get').text(this.data.give_to_get || '')
            .toggleClass('hidden', !this.data.give_to_get);
        // Being updated: the view reloads itself until the numbers are current.
        clearTimeout(this.freshnessTimer);
        if (fresh.stale) {
            this.freshnessTimer = setTimeout(this.load.bind(this), STALE_RELOAD_MS);
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
});

/**
 * Start on the analysis page once the session has loaded the translations
 * of our addons (``_t`` and the language's number separators; drawn in
 * English if loading them fails).
 */
$(function () {
    var $data = $('#o_prm_analysis_data');
    var $root = $data.closest('.o_prm_analysis');
    if (!$data.length || !$root.length || typeof nv === 'undefined' || typeof d3 === 'undefined') {
        return;
    }
    $.when(session.is_bound).always(function () {
        var data;
        try {
            data = JSON.parse($data.text());
        } catch (error) {
            $('<div class="alert alert-danger o_prm_analysis_error" role="alert"/>')
                .text(_t("The analysis data could not be read."))
                .insertBefore($root.find('.o_prm_toggles'));
            return;
        }
        var page = new AnalysisPage(null, data);
        page.attachTo($root);
        $root.data('prmAnalysis', page);
    });
});

return AnalysisPage;
});
