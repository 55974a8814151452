#!/usr/bin/env bash
# The project's own PostgreSQL cluster in .local/pgdata.
#   pg.sh start   initdb on first use, start if not running, print the port
#   pg.sh stop    stop the cluster (data stays)
#   pg.sh port    print the port
# Port: $PRM_PG_PORT, else the one this checkout used before, else the first
# free port from 5433 up (so a second checkout on the same machine gets its own).
source "$(dirname "$0")/common.sh"
BIN=$(pg_bindir) || die "PostgreSQL server binaries not found; run 'make setup' (apt-get install postgresql)"
PORTFILE="$LOCAL/pg.port"

running() { [ -f "$PGDATA/postmaster.pid" ] && as_postgres "$BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; }

choose_port() {
    if [ -n "${PRM_PG_PORT:-}" ]; then echo "$PRM_PG_PORT"; return; fi
    local p
    p=$(cat "$PORTFILE" 2>/dev/null || echo 5433)
    while ! port_free "$p"; do p=$((p + 1)); done
    echo "$p"
}

start() {
    if [ ! -f "$PGDATA/PG_VERSION" ]; then
        say "initialising PostgreSQL cluster in $PGDATA"
        mkdir -p "$PGDATA" "$PGSOCK"
        [ "$(id -u)" = 0 ] && chown postgres: "$PGDATA" "$PGSOCK"
        chmod 700 "$PGDATA"
        as_postgres "$BIN/initdb" -D "$PGDATA" --auth=trust -E UTF8 --locale=C.UTF-8 \
            -U postgres >"$LOGDIR/initdb.log" 2>&1 || die "initdb failed, see $LOGDIR/initdb.log"
    fi
    if running; then
        cat "$PORTFILE"; return
    fi
    local port; port=$(choose_port)
    port_free "$port" || die "port $port is in use; set PRM_PG_PORT to a free port"
    mkdir -p "$PGSOCK"; [ "$(id -u)" = 0 ] && chown postgres: "$PGSOCK"
    touch "$LOGDIR/postgresql.log"; [ "$(id -u)" = 0 ] && chown postgres: "$LOGDIR/postgresql.log"
    as_postgres "$BIN/pg_ctl" -D "$PGDATA" -w -t 60 -l "$LOGDIR/postgresql.log" \
        -o "-p $port -k $PGSOCK -c listen_addresses=127.0.0.1 -c fsync=${PRM_PG_FSYNC:-on} -c max_connections=200" \
        start >/dev/null || die "PostgreSQL did not start, see $LOGDIR/postgresql.log"
    echo "$port" > "$PORTFILE"
    # Odoo refuses to connect as 'postgres': give it a role of its own.
    "$BIN/psql" -h "$PGSOCK" -p "$port" -U postgres -d postgres -qtA -c \
        "DO \$\$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$PG_ROLE') THEN CREATE ROLE \"$PG_ROLE\" LOGIN CREATEDB; END IF; END\$\$;" \
        >/dev/null || die "could not create the database role $PG_ROLE"
    say "PostgreSQL running on 127.0.0.1:$port (data: $PGDATA)"
    echo "$port"
}

stop() {
    if running; then
        as_postgres "$BIN/pg_ctl" -D "$PGDATA" -w -m fast stop >/dev/null
        say "PostgreSQL stopped (data kept in $PGDATA)"
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    port) cat "$PORTFILE" ;;
    restart) stop; start ;;
    *) die "usage: pg.sh start|stop|restart|port" ;;
esac
