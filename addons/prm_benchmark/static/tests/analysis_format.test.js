/* Unit tests of the analysis page's pure helpers (node --test; run by
 * addons/prm_benchmark/tests/test_js_units.py). */
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const shim = require('./odoo_shim.js');

const format = shim.require('prm_benchmark.analysis_format');

test('numbers in the German format, with the grouping of the language', function () {
    shim.setLanguage(',', '.');
    assert.equal(format.formatNumber(1234567.891, 2), '1.234.567,89');
    assert.equal(format.formatNumber(-1234.5, 0), '-1.235');
    assert.equal(format.formatNumber(-0.04, 1), '0,0', 'no minus before zero');
    assert.equal(format.formatNumber(999.95, 1), '1.000,0');
    assert.equal(format.formatNumber(null, 1), '');
    assert.equal(format.formatNumber(NaN, 1), '');
    shim.setLanguage('.', ',');
    assert.equal(format.formatNumber(1234.5, 1), '1,234.5');
});

test('values follow the decimals of their unit, unknown units one', function () {
    shim.setLanguage(',', '.');
    const decimals = {currency: 0, percent: 1};
    assert.equal(format.formatValue(945298.6, 'currency', decimals), '945.299');
    assert.equal(format.formatValue(12.345, 'percent', decimals), '12,3 %');
    assert.equal(format.formatValue(2.25, 'odd', decimals), '2,3');
    assert.equal(format.formatValue(null, 'percent', decimals), null);
});

test('compact axis ticks', function () {
    shim.setLanguage(',', '.');
    assert.equal(format.compact(1250000), '1,3M');
    assert.equal(format.compact(12500000), '13M');
    assert.equal(format.compact(85000), '85k');
    assert.equal(format.compact(1500), '1.500');
    assert.equal(format.compact(12.5), '12,5');
    assert.equal(format.compact(0.125), '0,13');
    assert.equal(format.compact(undefined), '');
});

test('index against the median, per-unit values', function () {
    assert.equal(format.toIndex(150, 100), 150);
    assert.equal(format.toIndex(-50, -100), 150);
    assert.equal(format.toIndex(5, 0), null);
    assert.equal(format.toIndex(null, 100), null);
    assert.equal(format.perUnit(100, 4), 25);
    assert.equal(format.perUnit(100, 0), null);
    assert.equal(format.perUnit(100, null), null);
});

test('trend axis in quarters and in (partial) years', function () {
    const periods = [{name: 'Q3/2024'}, {name: 'Q4/2024'}, {name: 'Q1/2025'},
                     {name: 'Q2/2025'}, {name: 'Q3/2025'}, {name: 'Q4/2025'}];
    const quarters = format.buckets(periods, 'quarter');
    assert.deepEqual(quarters.labels, periods.map(function (p) { return p.name; }));
    assert.deepEqual(quarters.groups, [[0], [1], [2], [3], [4], [5]]);
    const years = format.buckets(periods, 'year');
    assert.deepEqual(years.labels, ['2024 (2/4)', '2025']);
    assert.deepEqual(years.groups, [[0, 1], [2, 3, 4, 5]]);
    const values = [1, null, 2, 4, null, 6];
    assert.deepEqual(format.aggregate(values, years, 'sum'), [1, 12]);
    assert.deepEqual(format.aggregate(values, years), [1, 4]);
    assert.deepEqual(format.aggregate([null, null], format.buckets(periods.slice(0, 2), 'year')),
                     [null]);
});

test('the chart registry knows every kind the server sends', function () {
    const registry = shim.require('prm_benchmark.chart_registry');
    const kinds = JSON.parse(process.env.PRM_CHART_KINDS || '[]');
    assert.ok(kinds.length > 5);
    kinds.forEach(function (kind) {
        assert.equal(typeof registry.get(kind), 'function', kind);
    });
    assert.deepEqual(Object.keys(registry.map).sort(), kinds.slice().sort());
});
