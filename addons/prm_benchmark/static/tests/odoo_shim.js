/* A tiny odoo.define for node: loads Odoo 11's own web.Class, web.translation,
 * web.utils and web.Registry (from ODOO_WEB, the web addon's directory) and
 * then our modules, so their pure parts run outside a browser. 'web.core' is
 * only its _t here. */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const modules = {};
const factories = {};

function requireModule(name) {
    if (!(name in modules)) {
        if (!(name in factories)) {
            throw new Error('unknown module ' + name);
        }
        modules[name] = factories[name](requireModule);
    }
    return modules[name];
}

global.odoo = {
    define: function (name, deps, factory) {
        factories[name] = factory || deps;
    },
};
global._ = require(path.join(process.env.ODOO_WEB, 'static/lib/underscore/underscore.js'));

function load(file) {
    vm.runInThisContext(fs.readFileSync(file, 'utf8'), {filename: file});
}

const core = path.join(process.env.ODOO_WEB, 'static/src/js/core');
['class.js', 'translation.js', 'utils.js', 'registry.js'].forEach(function (name) {
    load(path.join(core, name));
});
factories['web.core'] = function (req) {
    return {_t: req('web.translation')._t};
};

const ours = path.join(__dirname, '..', 'src', 'js');
['analysis_format.js', 'chart_kit.js', 'chart_registry.js'].forEach(function (name) {
    load(path.join(ours, name));
});

/** Number format of a language, as the session sets it after login. */
function setLanguage(decimalPoint, thousandsSep, grouping) {
    const parameters = requireModule('web.translation')._t.database.parameters;
    parameters.decimal_point = decimalPoint;
    parameters.thousands_sep = thousandsSep;
    parameters.grouping = grouping || [3, 0];
}

module.exports = {require: requireModule, setLanguage: setLanguage};
