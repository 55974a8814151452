#!/usr/bin/env bash
# Stop the Odoo server started by `make run`, the clusters of
# `make run-cluster` (scripts/cluster.sh) and the checkout's PostgreSQL.
# Data stays in .local/pgdata.
source "$(dirname "$0")/common.sh"
if [ -f "$RUNDIR/odoo.pid" ]; then
    pid=$(cat "$RUNDIR/odoo.pid")
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid"; say "Odoo (pid $pid) stopped"
    fi
    rm -f "$RUNDIR/odoo.pid"
fi
for state in "$LOCAL"/cluster/*/cluster.env; do  # make run-cluster, benchmarks
    [ -f "$state" ] || continue
    PRM_CLUSTER_NAME=$(basename "$(dirname "$state")") "$ROOT/scripts/cluster.sh" stop
done
"$ROOT/scripts/pg.sh" stop
