#!/usr/bin/env bash
# make test: fresh test database with the three addons and prm_demo (the demo
# every test through pytest — addon tests via pytest-odoo, system tests in
# tests/ against a real server, lint. Never touches the `make run` database.
source "$(dirname "$0")/common.sh"
cd "$ROOT"
scripts/pg.sh start >/dev/null
DB="${PRM_TEST_DB:-prm_test}"
CONF="$LOCAL/odoo-test-$DB.conf"
INIT_LOG="$LOGDIR/test-init-$DB.log"
"$PY" scripts/make_config.py --db "$DB" --out "$CONF" --http-port 0 \
    --max-cron-threads 0 --data-dir "$LOCAL/filestore-test" >/dev/null

say "creating a fresh test database '$DB' with $PRM_DEMO_ADDONS (takes a minute or two)"
psql_admin -d postgres -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null
rm -rf "$LOCAL/filestore-test/filestore/$DB"
: > "$INIT_LOG"
export PATH="$NODE_DIR/node_modules/.bin:$PATH"
if ! "$PY" scripts/odoo-bin -c "$CONF" -d "$DB" -i "$PRM_DEMO_ADDONS" --stop-after-init \
        --logfile "$INIT_LOG" --log-level info; then
    tail -n 40 "$INIT_LOG" >&2
    die "installing the addons into the test database failed (log: $INIT_LOG)"
fi
problems=$(log_problems "$INIT_LOG")
if [ -n "$problems" ]; then
    echo "$problems" >&2
    die "the install log has errors or warnings of our addons (log: $INIT_LOG)"
fi

# Every user signs in with an SMS code, so tests reach XML-RPC with API keys:
# issue one for the administrator (the tests issue further keys with it).
"$PY" scripts/odoo-bin shell -c "$CONF" -d "$DB" --no-http --logfile "$LOGDIR/test-shell-$DB.log" \
    >/dev/null <<PYEOF || die "could not issue the test API key (log: $LOGDIR/test-shell-$DB.log)"
key = env["prm.2fa.api.key"]._issue(env.ref("base.user_root"), "make test")
env.cr.commit()
import os
fd = os.open("$LOCAL/test-apikey-$DB", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
os.write(fd, key.encode())
os.close(fd)
PYEOF

say "running the test suite"
export PRM_TEST_DB="$DB" PRM_TEST_CONF="$CONF" PRM_ROOT="$ROOT"
[ $# -gt 0 ] || set -- addons tests
exec "$PY" -m pytest -p no:warnings -p no:cacheprovider \
    --odoo-config="$CONF" --odoo-database="$DB" \
    -rfEs "$@"
