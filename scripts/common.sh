# Shared paths and helpers, sourced by the other scripts.
# Everything a checkout creates lives under .local/ (git-ignored), so two
# checkouts on one machine never share a cluster, a venv or a port file.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
VENV="$LOCAL/venv"
LINT_VENV="$LOCAL/venv-lint"
NODE_DIR="$LOCAL/node"
PGDATA="$LOCAL/pgdata"
PGSOCK="$LOCAL/pgsock"
LOGDIR="$LOCAL/log"
RUNDIR="$LOCAL/run"
PY="$VENV/bin/python"
PG_ROLE="${PRM_PG_ROLE:-odoo}"
mkdir -p "$LOCAL" "$LOGDIR" "$RUNDIR"

say() { printf '\033[1m[prm]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[prm] error:\033[0m %s\n' "$*" >&2; exit 1; }

pg_bindir() {
    local d
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/initdb" ] && { echo "$d"; return 0; }
    done
    return 1
}

port_free() {  # port_free PORT -> 0 when nothing listens on 127.0.0.1:PORT
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

as_postgres() {  # initdb/postgres refuse root: run them as the postgres user
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The production addons; prm_demo (the seeded demo network) comes on top in
# every database that shows or tests the demo: make run, the cluster, make
# test, make bench, make core-tests. A production database needs only these.
PRM_ADDONS="prm_partner_portal,prm_benchmark,prm_2fa_sms,prm_programme,prm_staff_home,prm_documents,prm_deal_registration"
PRM_DEMO_ADDON="prm_demo"
PRM_DEMO_ADDONS="$PRM_ADDONS,$PRM_DEMO_ADDON"

psql_admin() {  # psql as the cluster superuser over the checkout's socket
    "$(pg_bindir)/psql" -h "$PGSOCK" -p "$(cat "$LOCAL/pg.port")" -U postgres -qtA "$@"
}

db_exists() {
    [ "$(psql_admin -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]
}

prepare_database() {  # prepare_database DB CONF LOGNAME: create or update DB
    # Creates DB with the three addons and the demo network (prm_demo), or
    # updates the addons when it exists (make run, scripts/cluster.sh); an
    # existing database without prm_demo gets it (-i installs only what is
    # not installed yet; a demo network loaded before prm_demo existed is
    # adopted, not created twice). Logs in $LOGDIR/LOGNAME-init.log /
    # LOGNAME-update.log.
    local db=$1 conf=$2 log="$LOGDIR/$3"
    export PATH="$NODE_DIR/node_modules/.bin:$PATH"
    if db_exists "$db"; then
        say "updating the addons in database '$db'"
        "$PY" "$ROOT/scripts/odoo-bin" -c "$conf" -d "$db" -u "$PRM_DEMO_ADDONS" \
            -i "$PRM_DEMO_ADDON" \
            --stop-after-init --logfile "$log-update.log" \
            || die "update failed, see $log-update.log"
    else
        say "creating database '$db' with the demo dealer network (first run: ~2 minutes)"
        "$PY" "$ROOT/scripts/odoo-bin" -c "$conf" -d "$db" -i "$PRM_DEMO_ADDONS" \
            --stop-after-init --logfile "$log-init.log" \
            || die "install failed, see $log-init.log"
    fi
}

# Lines of an Odoo log that must fail a run: ERROR/CRITICAL from anywhere, and
# WARNINGs raised by our own addons.
log_problems() {
    grep -E " (ERROR|CRITICAL) | WARNING [^ ]+ odoo\.addons\.prm_" "$1" || true
}
