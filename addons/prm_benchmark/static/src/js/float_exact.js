odoo.define('prm_benchmark.float_exact', function (require) {
"use strict";
/**
 * Float cells that show a stored figure exactly: at least the field's
 * decimals, more when the stored value has more (25.875 -> "25,875", not
 * "25,88"), in list cells shown read-only as in edit fields. Odoo 11 list
 * cells without a widget ignore the view's ``digits`` (issue 17/1).
 */
var basicFields = require('web.basic_fields');
var fieldRegistry = require('web.field_registry');
var fieldUtils = require('web.field_utils');

// JavaScript numbers have 17 significant digits at most; a typed or
// imported figure has at most 15 (lib/numbers.py MAX_SIGNIFICANT_DIGITS).
var MAX_SIGNIFICANT = 15;

/**
 * Decimals of the shortest text that reads back as ``value`` (with at most
 * MAX_SIGNIFICANT significant digits).
 */
function exactDecimals(value) {
    if (typeof value !== 'number' || !isFinite(value) || value === 0) {
        return 0;
    }
    var text = String(Number(value.toPrecision(MAX_SIGNIFICANT)));
    var exponent = 0;
    var parts = text.split('e');
    if (parts.length === 2) {
        exponent = parseInt(parts[1], 10);
    }
    var decimals = (parts[0].split('.')[1] || '').length - exponent;
    return Math.max(0, decimals);
}

var FieldFloatExact = basicFields.FieldFloat.extend({
    _formatValue: function (value) {
        var digits = this.nodeOptions.digits || this.field.digits || [16, 2];
        var options = _.extend({}, this.nodeOptions, this.formatOptions, {
            digits: [digits[0], Math.max(digits[1], exactDecimals(value))],
        });
        return fieldUtils.format.float(value, this.field, options);
    },
});

fieldRegistry.add('prm_float_exact', FieldFloatExact);

return {FieldFloatExact: FieldFloatExact, exactDecimals: exactDecimals};
});
