#!/usr/bin/env bash
# make core-tests: Odoo's own test suites with our addons installed, as
# integrators and OCA CI run them (Odoo 11 has no --test-tags).
#
# 1. builds a database like `make run` (three addons + demo data), with the
#    SMS second factor off for this database only (prm_2fa_sms.scope = none:
#    core tests log users in with passwords);
# 2. per core module, one after the other: `-u MODULE --test-enable
#    --stop-after-init` (update mode: the core module and everything that
#    depends on it are reloaded and their tests run while our addons are not
#    loaded yet, i.e. our record rules are evaluated at every load stage);
# 3. parses each log: every module must have `Ran N tests` lines, no
#    "Can not `import`" (Odoo exits 0 then), and every FAIL/ERROR test must be
#    listed in config/core_tests_expected.txt with its reason.
#
# Environment: PRM_CORE_DB (default prm_core), CORE_MODULES (default
# "base mail portal crm web"), CORE_REUSE_DB=1 keeps an existing database.
# Takes long (see README): not part of `make test`.
source "$(dirname "$0")/common.sh"
cd "$ROOT"
scripts/pg.sh start >/dev/null
DB="${PRM_CORE_DB:-prm_core}"
MODULES="${CORE_MODULES:-base mail portal crm web}"
EXPECTED="$ROOT/config/core_tests_expected.txt"
CONF="$LOCAL/odoo-test-$DB.conf"
# HttpCase tests (base's test_xmlrpc, web's tours) talk to the runner's own
# HTTP server: it needs a real, free port.
HTTP_PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$PY" scripts/make_config.py --db "$DB" --out "$CONF" --http-port "$HTTP_PORT" \
    --max-cron-threads 0 --data-dir "$LOCAL/filestore-test" >/dev/null
export PATH="$NODE_DIR/node_modules/.bin:$PATH"
start=$SECONDS

if [ "${CORE_REUSE_DB:-0}" != 1 ] || ! db_exists "$DB"; then
    say "creating database '$DB' with $PRM_DEMO_ADDONS and demo data"
    psql_admin -d postgres -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null
    rm -rf "$LOCAL/filestore-test/filestore/$DB"
    "$PY" scripts/odoo-bin -c "$CONF" -d "$DB" -i "$PRM_DEMO_ADDONS" --stop-after-init \
        --logfile "$LOGDIR/core-init-$DB.log" \
        || die "install failed (log: $LOGDIR/core-init-$DB.log)"
fi
# Core tests sign in with passwords: no SMS code in this database only.
psql_admin -d "$DB" -c "DELETE FROM ir_config_parameter WHERE key = 'prm_2fa_sms.scope';
    INSERT INTO ir_config_parameter (key, value) VALUES ('prm_2fa_sms.scope', 'none')" \
    >/dev/null
say "database ready after $((SECONDS - start)) s"

failed=0
for module in $MODULES; do
    log="$LOGDIR/core-tests-$DB-$module.log"
    t0=$SECONDS
    say "core tests of '$module' (update mode; log: $log)"
    rc=0
    "$PY" scripts/odoo-bin -c "$CONF" -d "$DB" -u "$module" --test-enable \
        --stop-after-init --logfile "$log" --log-level info || rc=$?
    if ! "$PY" scripts/core_tests_report.py "$log" "$module" "$EXPECTED" "$rc"; then
        failed=1
    fi
    say "'$module' took $((SECONDS - t0)) s"
done
say "core tests took $((SECONDS - start)) s in all"
[ "$failed" = 0 ] || die "core tests: unexpected failures (see above)"
say "core tests: only the documented policy differences failed"
