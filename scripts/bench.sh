#!/usr/bin/env bash
# make bench: grow seeded networks of N dealers (default 50, 500 and 5000) in
# their own databases, then measure the portal against a multi-process Odoo
# with HTTP clients in a separate process (bench/run.py). Never touches the
# `make run` or test databases. PRM_BENCH_SIZES="50 500" limits the sizes;
# PRM_BENCH_PREPARE_ONLY=1 stops after building the databases.
source "$(dirname "$0")/common.sh"
cd "$ROOT"
scripts/pg.sh start >/dev/null
SIZES="${PRM_BENCH_SIZES:-50 500 5000}"
BENCH="$LOCAL/bench"
TEMPLATE=prm_bench_template
DATA_DIR="$LOCAL/filestore-bench"
mkdir -p "$BENCH" "$DATA_DIR"
export PATH="$NODE_DIR/node_modules/.bin:$PATH"

hash_of() {  # content hash of the given folders' sources
    find "$@" -type f \( -name '*.py' -o -name '*.xml' -o -name '*.csv' \) \
        -not -path '*/tests/*' | LC_ALL=C sort | xargs sha1sum | sha1sum | cut -c1-16
}
drop_db() {
    psql_admin -d postgres -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null
    rm -rf "$DATA_DIR/filestore/$1"
}

# The template (addons + demo data) is rebuilt when the addons change, a
# network when the template or the generator changes.
template_stamp=$(hash_of addons)
network_stamp="$template_stamp-$(hash_of bench)"
if [ "$(cat "$BENCH/template.stamp" 2>/dev/null)" != "$template_stamp" ] \
        || ! db_exists "$TEMPLATE"; then
    say "building the benchmark template database (addons + demo data)"
    # Installed under another name and renamed when complete, so an
    # interrupted build never leaves a half-installed template behind.
    building="${TEMPLATE}_building"
    drop_db "$building"
    CONF="$BENCH/odoo-$building.conf"
    "$PY" scripts/make_config.py --db "$building" --out "$CONF" --http-port 0 \
        --max-cron-threads 0 --data-dir "$DATA_DIR" >/dev/null
    "$PY" scripts/odoo-bin -c "$CONF" -d "$building" -i "$PRM_DEMO_ADDONS" --stop-after-init \
        --logfile "$LOGDIR/bench-template.log" \
        || die "installing the template failed, see $LOGDIR/bench-template.log"
    drop_db "$TEMPLATE"
    psql_admin -d postgres -c "ALTER DATABASE \"$building\" RENAME TO \"$TEMPLATE\"" >/dev/null
    mv "$DATA_DIR/filestore/$building" "$DATA_DIR/filestore/$TEMPLATE"
    echo "$template_stamp" > "$BENCH/template.stamp"
fi

for n in $SIZES; do
    db="prm_bench_$n"
    CONF="$BENCH/odoo-$db.conf"
    "$PY" scripts/make_config.py --db "$db" --out "$CONF" --http-port 0 \
        --max-cron-threads 0 --data-dir "$DATA_DIR" >/dev/null
    if [ "$(cat "$BENCH/$db.stamp" 2>/dev/null)" != "$network_stamp" ] \
            || ! db_exists "$db"; then
        say "growing a network of $n dealers in '$db'"
        drop_db "$db"
        psql_admin -d postgres -c "CREATE DATABASE \"$db\" TEMPLATE \"$TEMPLATE\" OWNER \"$PG_ROLE\"" >/dev/null
        cp -a "$DATA_DIR/filestore/$TEMPLATE" "$DATA_DIR/filestore/$db"
        if ! "$PY" bench/generate.py --conf "$CONF" --db "$db" --dealers "$n" \
                2> >(tee "$LOGDIR/bench-generate-$n.log" >&2); then
            drop_db "$db"
            die "generating $n dealers failed, see $LOGDIR/bench-generate-$n.log"
        fi
        # Every group's statistics of every period, nothing left stale: a
        # measurement must not read half-refreshed numbers (kept unstamped,
        # so the next run grows it again; left in place to be looked at).
        "$PY" bench/check_fresh.py --conf "$CONF" --db "$db" \
            || die "'$db' is not fresh after generation (see above)"
        echo "$network_stamp" > "$BENCH/$db.stamp"
    fi
done

[ "${PRM_BENCH_PREPARE_ONLY:-0}" = 1 ] && { say "databases ready (PRM_BENCH_PREPARE_ONLY=1)"; exit 0; }
say "measuring (this takes a few minutes per size)"
exec "$PY" bench/run.py --sizes $SIZES --out "$BENCH"
