odoo.define('prm_benchmark.analysis_format', function (require) {
'use strict';

/**
 * Pure helpers of the analysis charts: numbers in the user's format, axis
 * ticks, the trend axis in quarters or years. No DOM, no chart library
 * (unit-tested with node, see tests/test_js_units.py).
 *
 * Values may be null (missing or withheld for anonymity): every helper
 * takes null and gives null or '' back, never NaN.
 */

var core = require('web.core');
var utils = require('web.utils');

var _t = core._t;

function isNum(value) {
    return typeof value === 'number' && isFinite(value);
}

/**
 * ``value`` with ``digits`` decimals in the user's number format (decimal
 * point, thousands separator and grouping of the language, as the tables
 * the server formats); '' for null.
 */
function formatNumber(value, digits) {
    if (!isNum(value)) {
        return '';
    }
    var fixed = Math.abs(value).toFixed(digits);
    var parts = fixed.split('.');
    var negative = value < 0 && Number(fixed) !== 0;
    var point = _t.database.parameters.decimal_point || '.';
    return utils.insert_thousand_seps((negative ? '-' : '') + parts[0]) +
        (parts[1] ? point + parts[1] : '');
}

/**
 * A value with the decimals of its unit (``decimals``: the server's
 * ``{unit: decimals}``, one decimal for unknown units), '%' after percent
 * values; null for null.
 */
function formatValue(value, unit, decimals) {
    if (!isNum(value)) {
        return null;
    }
    var digits = decimals && isNum(decimals[unit]) ? decimals[unit] : 1;
    var text = formatNumber(value, digits);
    return unit === 'percent' ? text + ' %' : text;
}

/** Short axis ticks: 1.2M, 850k, 12.5 (the letters of ``web.utils``). */
function compact(value) {
    if (!isNum(value)) {
        return '';
    }
    var abs = Math.abs(value);
    var symbols = _t('kMGTPE');
    if (abs >= 1e6) {
        return formatNumber(value / 1e6, abs >= 1e7 ? 0 : 1) + symbols[1];
    }
    if (abs >= 1e4) {
        return formatNumber(value / 1e3, 0) + symbols[0];
    }
    if (abs >= 100 || value === Math.round(value)) {
        return formatNumber(value, 0);
    }
    return formatNumber(value, abs >= 10 ? 1 : 2);
}

function yearOf(name) {
    var match = /(\d{4})/.exec(name || '');
    return match ? match[1] : (name || '');
}

function mean(values) {
    var present = (values || []).filter(isNum);
    if (!present.length) {
        return null;
    }
    return present.reduce(function (a, b) { return a + b; }, 0) / present.length;
}

function sum(values) {
    var present = (values || []).filter(isNum);
    if (!present.length) {
        return null;
    }
    return present.reduce(function (a, b) { return a + b; }, 0);
}

/** Index of a value against the group median (median = 100). */
function toIndex(value, median) {
    if (!isNum(value) || !isNum(median) || median === 0) {
        return null;
    }
    return 100 + 100 * (value - median) / Math.abs(median);
}

/** ``value / divisor`` where both are numbers and the divisor positive. */
function perUnit(value, divisor) {
    return isNum(value) && isNum(divisor) && divisor > 0 ? value / divisor : null;
}

/**
 * The trend axis: ``{labels, groups}`` with the period indexes of each
 * bucket. Quarters as they are, or calendar years ("2025 (3/4)" while a
 * year is incomplete).
 */
function buckets(periods, granularity) {
    periods = periods || [];
    if (granularity !== 'year') {
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
            return partialLabel(item.year, item.indexes.length);
        }),
        groups: order.map(function (item) { return item.indexes; }),
    };
}

/** "2025 (3/4)" for a year of which ``count`` quarters are known. */
function partialLabel(year, count) {
    return count < 4 ? year + ' (' + count + '/4)' : year;
}

/** One value per bucket: the sum or (default) the mean of its periods. */
function aggregate(values, axis, how) {
    values = values || [];
    return axis.groups.map(function (indexes) {
        var picked = indexes.map(function (i) { return values[i]; });
        return how === 'sum' ? sum(picked) : mean(picked);
    });
}

return {
    isNum: isNum,
    formatNumber: formatNumber,
    formatValue: formatValue,
    compact: compact,
    yearOf: yearOf,
    mean: mean,
    sum: sum,
    toIndex: toIndex,
    perUnit: perUnit,
    buckets: buckets,
    partialLabel: partialLabel,
    aggregate: aggregate,
};
});
