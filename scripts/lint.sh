#!/usr/bin/env bash
# flake8 (88 columns) and pylint-odoo's mandatory checks on addons/, eslint
# (config/eslintrc.json, ES5 as Odoo 11's browsers) on the addons' JS.
source "$(dirname "$0")/common.sh"
cd "$ROOT"
status=0
say "flake8"
"$LINT_VENV/bin/flake8" --config "$ROOT/config/flake8.cfg" addons tests scripts/*.py || status=1
say "pylint-odoo (mandatory checks)"
"$LINT_VENV/bin/pylint" --rcfile="$ROOT/config/pylintrc-mandatory" addons/prm_* || status=1
say "eslint"
"$NODE_DIR/node_modules/.bin/eslint" --no-eslintrc -c "$ROOT/config/eslintrc.json" \
    addons/*/static/src/js || status=1
[ $status = 0 ] && say "lint clean"
exit $status
