#!/usr/bin/env bash
# make run: start PostgreSQL, create or update the `prm` database with the
# three addons and the demo network (prm_demo), then serve Odoo in the foreground.
source "$(dirname "$0")/common.sh"
cd "$ROOT"
PG_PORT=$(scripts/pg.sh start)
DB="${PRM_DB:-prm}"
HTTP_PORT="${PRM_HTTP_PORT:-8069}"
port_free "$HTTP_PORT" || die "port $HTTP_PORT is in use (another 'make run'?). Stop it with 'make stop' or choose another port: PRM_HTTP_PORT=8070 make run"
CONF="$LOCAL/odoo.conf"
"$PY" scripts/make_config.py --db "$DB" --http-port "$HTTP_PORT" --out "$CONF" >/dev/null
export PATH="$NODE_DIR/node_modules/.bin:$PATH"
LOG="$LOGDIR/odoo-run.log"
prepare_database "$DB" "$CONF" run
cat <<INFO

  PRM Partner Portal is starting on  http://127.0.0.1:$HTTP_PORT
  Database: $DB (PostgreSQL on 127.0.0.1:$PG_PORT, data in .local/pgdata)

  Demo logins (password for all: demo; admin: admin / admin)
    head office (PRM manager) prm.manager
    territory managers        tm.nord  tm.sued  tm.west  tm.ost
    receivables / marketing / warranty   receivables  marketing  warranty
    dealer managing directors director01 … director40   (portal)
    dealer bookkeepers        bookkeeper01 … bookkeeper40 (portal)
  Every login asks for an SMS code: run 'make outbox' in another terminal to read it
  Server log: $LOG          Stop: Ctrl-C or 'make stop'

INFO
echo $$ > "$RUNDIR/odoo.pid"
exec "$PY" scripts/odoo-bin -c "$CONF" -d "$DB" --logfile "$LOG"
