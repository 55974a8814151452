#!/usr/bin/env bash
# Several Odoo nodes (workers mode) on the checkout's PostgreSQL behind nginx,
# all on loopback ports. `make run-cluster` = `scripts/cluster.sh start`.
#
# Interface (used by make run-cluster / make stop, tests/test_cluster.py and
# the benchmark):
#   cluster.sh start          start PostgreSQL, create or update the database
#                             (unless PRM_CLUSTER_PREPARE_DB=0), render the
#                             configs, start the nodes and nginx, wait until
#                             every node and nginx answer; prints the URL
#                             (http://127.0.0.1:PORT) as the only stdout line.
#                             Exit 1 (and nothing left running) on failure.
#   cluster.sh stop           stop nginx and every node (idempotent)
#   cluster.sh status         one line per node and for nginx; exit 0 when
#                             everything runs, 3 otherwise
#   cluster.sh stop-node N    drain node N (1-based; nginx marks it down and
#                             reloads; returns once the requests nginx had
#                             sent it are answered), then stop it
#   cluster.sh start-node N   start node N again (same config), wait until it
#                             answers, then take it back into nginx (reload:
#                             fresh workers, no failure count of the outage)
#   cluster.sh rolling-restart [-u MODULES]
#                             every node in turn: stop-node, start-node; with
#                             -u the first stopped node's code updates MODULES
#                             (comma-separated) in the database first. Needs
#                             every node running; no request fails.
#   cluster.sh url            print the URL
# Environment (defaults in brackets; stop/status/*-node/url only need NAME):
#   PRM_CLUSTER_DB            database [prm]
#   PRM_CLUSTER_NAME          cluster name: state (configs, pids, nginx logs
#                             and temp files) in .local/cluster/NAME/ [the DB]
#   PRM_CLUSTER_NODES         number of Odoo nodes [2]
#   PRM_CLUSTER_PORT          nginx port on 127.0.0.1 [8080]
#   PRM_CLUSTER_NODE_PORTS    comma-separated HTTP ports of the nodes; a node's
#                             longpolling port is its HTTP port + 1
#                             [8170,8172,... one per node]
#   PRM_CLUSTER_WORKERS       HTTP worker processes per node [2]
#   PRM_CLUSTER_CRON_THREADS  cron worker processes per node [1]
#   PRM_CLUSTER_DATA_DIR      data_dir shared by the nodes (sessions,
#                             filestore) [.local/filestore, as make run]
#   PRM_CLUSTER_PREPARE_DB    1: create/update the database on start [1]
#   PRM_CLUSTER_LOG_HANDLER   extra Odoo --log-handler for the nodes, e.g.
#                             odoo.addons.base.ir.ir_cron:DEBUG [none]
#   PRM_CLUSTER_DRAIN_SECONDS longest wait for a drained node's requests, e.g.
#                             open long polls (nginx's worker_shutdown_timeout
#                             ends them as well) [60]
# Node logs: .local/log/cluster-NAME-nodeN.log (emptied by start). Nodes run
# with proxy_mode on.
source "$(dirname "$0")/common.sh"
cd "$ROOT"

DB="${PRM_CLUSTER_DB:-prm}"
NAME="${PRM_CLUSTER_NAME:-$DB}"
STATE="$LOCAL/cluster/$NAME"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

if [ -f "$STATE/cluster.env" ] && [ "${1:-}" != start ]; then
    # shellcheck source=/dev/null
    source "$STATE/cluster.env"  # what `start` resolved (DB, ports, nodes)
else
    NODES="${PRM_CLUSTER_NODES:-2}"
    PORT="${PRM_CLUSTER_PORT:-8080}"
    NODE_PORTS="${PRM_CLUSTER_NODE_PORTS:-$(seq -s, 8170 2 $((8170 + 2 * NODES - 2)))}"
fi
IFS=, read -r -a HTTP_PORTS <<<"$NODE_PORTS"
URL="http://127.0.0.1:$PORT"
NGINX_ARGS=(-p "$STATE/" -c "$STATE/nginx.conf" -e "$STATE/nginx-error.log")
DRAIN_SECONDS="${PRM_CLUSTER_DRAIN_SECONDS:-60}"

node_log() { echo "$LOGDIR/cluster-$NAME-node$1.log"; }

pid_of() {  # pid_of PIDFILE PATTERN: the pid when alive and really ours
    local pid
    pid=$(cat "$1" 2>/dev/null) || return 1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null \
        && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$2" \
        && echo "$pid"
}
node_pid() { pid_of "$STATE/node$1.pid" "$STATE/node$1.conf"; }
nginx_pid() { pid_of "$STATE/nginx.pid" "$STATE/nginx.conf"; }

answers() {  # answers URL: any HTTP answer below 500
    "$PY" - "$1" <<'PYEOF' 2>/dev/null
import sys, urllib.error, urllib.request
try:
    urllib.request.urlopen(sys.argv[1], timeout=10)
except urllib.error.HTTPError as error:
    sys.exit(error.code >= 500)
except Exception:
    sys.exit(1)
PYEOF
}

wait_for() {  # wait_for WHAT URL PID_FUNCTION [ARG]
    local what=$1 url=$2 deadline=$((SECONDS + 180))
    until answers "$url"; do
        "${@:3}" >/dev/null || die "$what exited during start-up (logs: $(node_log "${4:-1}"), $STATE/nginx-error.log)"
        [ $SECONDS -lt $deadline ] || die "$what did not answer on $url within 180 s"
        sleep 0.5
    done
}

launch_node() {  # start node N in the background
    local i=$1 http=${HTTP_PORTS[$(($1 - 1))]}
    [ -n "$http" ] || die "no node $i in cluster '$NAME' (nodes: $NODES)"
    node_pid "$i" >/dev/null && return 0
    port_free "$http" && port_free $((http + 1)) \
        || die "port $http or $((http + 1)) is in use (node $i); set PRM_CLUSTER_NODE_PORTS"
    local extra=()
    [ -z "${LOG_HANDLER:-}" ] || extra=(--log-handler "$LOG_HANDLER")
    # Own session (setsid): Ctrl-C in the terminal leaves the node alone and
    # stop_node can end the master with its workers as one process group.
    PATH="$NODE_DIR/node_modules/.bin:$PATH" setsid "$PY" scripts/odoo-bin \
        -c "$STATE/node$i.conf" -d "$DB" --logfile "$(node_log "$i")" "${extra[@]}" \
        </dev/null >/dev/null 2>&1 &
    echo $! >"$STATE/node$i.pid"
}

wait_for_node() {
    local i=$1 http=${HTTP_PORTS[$(($1 - 1))]}
    wait_for "node $i" "http://127.0.0.1:$http/web/login" node_pid "$i"
    wait_for "node $i (longpolling)" "http://127.0.0.1:$((http + 1))/web/login" node_pid "$i"
}

# --- nginx: which nodes get requests ------------------------------------------
# $STATE/drained lists the nodes (numbers) marked down in nginx.conf.
render_nginx() {
    local i http nodes=()
    for i in $(seq 1 "$NODES"); do
        http=${HTTP_PORTS[$((i - 1))]}
        nodes+=(--node "$http:$((http + 1))")
        ! grep -qx "$i" "$STATE/drained" 2>/dev/null || nodes+=(--down "$http")
    done
    "$PY" scripts/make_nginx_config.py --state "$STATE" --port "$PORT" \
        "${nodes[@]}" >/dev/null
    "$NGINX" "${NGINX_ARGS[@]}" -t -q || die "invalid nginx configuration $STATE/nginx.conf"
}

reload_nginx() {  # reload_nginx drain|take: apply nginx.conf to a running nginx
    # nginx starts new workers (new configuration, no failure counts: a node
    # that was down is tried again at once) and lets the old ones finish their
    # requests. drain: return when the old workers are gone, i.e. no request
    # is on its way to a node the new configuration marks down (bounded by
    # DRAIN_SECONDS); take: return when the new workers serve.
    local master old pid alive deadline=$((SECONDS + DRAIN_SECONDS))
    master=$(nginx_pid) || return 0  # not started yet: start starts it
    old=$(ps -o pid= --ppid "$master" | tr -d ' ')
    "$NGINX" "${NGINX_ARGS[@]}" -s reload || die "nginx reload failed, see $STATE/nginx-error.log"
    while [ $SECONDS -lt $deadline ]; do
        alive=0
        for pid in $(ps -o pid= --ppid "$master"); do
            if grep -qx "$pid" <<<"$old"; then alive=$((alive + 1))
            elif [ "$1" = take ]; then return 0; fi
        done
        [ $alive -gt 0 ] || return 0
        sleep 0.2
    done
    say "nginx: old workers still busy after $DRAIN_SECONDS s (long polls?); going on"
}

set_drained() {  # set_drained N yes|no
    touch "$STATE/drained"
    grep -vx "$1" "$STATE/drained" >"$STATE/drained.new" || true
    [ "$2" = no ] || echo "$1" >>"$STATE/drained.new"
    mv "$STATE/drained.new" "$STATE/drained"
}

drain_node() { set_drained "$1" yes; render_nginx; reload_nginx drain; }

take_node() { set_drained "$1" no; render_nginx; reload_nginx take; }

start_node() { launch_node "$1"; wait_for_node "$1"; take_node "$1"; }

stop_node_drained() {
    [ -n "${HTTP_PORTS[$(($1 - 1))]:-}" ] || die "no node $1 in cluster '$NAME' (nodes: $NODES)"
    drain_node "$1"
    stop_node "$1"
}

update_modules() {  # update_modules N MODULES: -u with node N's code and config
    local log="$LOGDIR/cluster-$NAME-update.log"
    say "updating $2 in database '$DB' (log: $log)"
    PATH="$NODE_DIR/node_modules/.bin:$PATH" "$PY" scripts/odoo-bin \
        -c "$STATE/node$1.conf" -d "$DB" -u "$2" --workers 0 --max-cron-threads 0 \
        --stop-after-init --logfile "$log" </dev/null >/dev/null 2>&1 \
        || die "update failed, see $log; node $1 stays stopped and drained, the other nodes serve"
    [ -z "$(log_problems "$log")" ] \
        || die "update logged errors, see $log; node $1 stays stopped and drained"
}

rolling_restart() {  # rolling_restart [-u MODULES]
    local modules="" i
    case "$#:${1:-}" in
        0:) ;;
        2:-u) modules=$2 ;;
        *) die "usage: cluster.sh rolling-restart [-u MODULES]" ;;
    esac
    [ "$NODES" -ge 2 ] || die "a rolling restart needs at least two nodes"
    for i in $(seq 1 "$NODES"); do
        node_pid "$i" >/dev/null \
            || die "node $i is not running: start it first (cluster.sh start-node $i)"
        # a node left drained (an interrupted stop-node) would leave nginx
        # without any node once the next one is drained
        ! grep -qx "$i" "$STATE/drained" 2>/dev/null \
            || die "node $i is drained: take it back first (cluster.sh start-node $i)"
    done
    nginx_pid >/dev/null || die "nginx is not running"
    for i in $(seq 1 "$NODES"); do
        say "rolling restart: node $i"
        stop_node_drained "$i"
        if [ -n "$modules" ] && [ "$i" = 1 ]; then update_modules "$i" "$modules"; fi
        start_node "$i"
    done
    say "rolling restart done: $NODES nodes behind $URL"
}

stop_group() {  # stop_group PID: TERM the process group, KILL what remains
    local pid=$1 n
    kill -TERM "$pid" 2>/dev/null || true
    for n in $(seq 1 60); do
        kill -0 -- "-$pid" 2>/dev/null || return 0
        sleep 0.5
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
}

stop_node() {
    local pid
    if pid=$(node_pid "$1"); then
        stop_group "$pid"
        say "node $1 (pid $pid) stopped"
    fi
    rm -f "$STATE/node$1.pid"
}

stop_nginx() {
    local pid
    if pid=$(nginx_pid); then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
        kill -KILL "$pid" 2>/dev/null || true
        say "nginx (pid $pid) stopped"
    fi
}

stop_all() {
    [ -d "$STATE" ] || return 0
    stop_nginx
    local i
    for i in $(seq 1 "$NODES"); do stop_node "$i"; done
}

start() {
    [ ${#HTTP_PORTS[@]} -eq "$NODES" ] \
        || die "PRM_CLUSTER_NODE_PORTS has ${#HTTP_PORTS[@]} ports for $NODES nodes"
    # Each node takes its HTTP port and the next one (longpolling), nginx
    # its own: all distinct, or a node's longpolling process cannot bind
    # and nginx sends long polls to another node's HTTP workers (404).
    local seen=" $PORT " port
    for port in "${HTTP_PORTS[@]}"; do
        for port in "$port" $((port + 1)); do
            case "$seen" in *" $port "*)
                die "port $port is used twice (each node takes its HTTP port and the next one for longpolling, nginx $PORT); set PRM_CLUSTER_NODE_PORTS to ports 2 apart, e.g. 8170,8172";;
            esac
            seen="$seen$port "
        done
    done
    [ -x "$NGINX" ] || die "nginx not found; run 'make setup' (apt-get install nginx-light)"
    if [ -f "$STATE/cluster.env" ]; then
        # A previous start of this cluster (possibly with other ports).
        "$ROOT/scripts/cluster.sh" stop || true
    fi
    mkdir -p "$STATE"
    rm -f "$STATE/drained"
    cat >"$STATE/cluster.env" <<ENV
DB='$DB'
NODES='$NODES'
PORT='$PORT'
NODE_PORTS='$NODE_PORTS'
LOG_HANDLER='${PRM_CLUSTER_LOG_HANDLER:-}'
ENV
    LOG_HANDLER="${PRM_CLUSTER_LOG_HANDLER:-}"
    port_free "$PORT" || die "port $PORT is in use; set PRM_CLUSTER_PORT"
    trap 'stop_all' EXIT  # a failed start leaves nothing running
    scripts/pg.sh start >/dev/null
    local data_dir="${PRM_CLUSTER_DATA_DIR:-$LOCAL/filestore}"
    if [ "${PRM_CLUSTER_PREPARE_DB:-1}" = 1 ]; then
        "$PY" scripts/make_config.py --db "$DB" --http-port 0 --max-cron-threads 0 \
            --data-dir "$data_dir" --out "$STATE/db.conf" >/dev/null
        prepare_database "$DB" "$STATE/db.conf" "cluster-$NAME"
    fi
    local i
    for i in $(seq 1 "$NODES"); do
        local http=${HTTP_PORTS[$((i - 1))]}
        PRM_PROXY_MODE=1 "$PY" scripts/make_config.py --db "$DB" --http-port "$http" \
            --longpolling-port $((http + 1)) --workers "${PRM_CLUSTER_WORKERS:-2}" \
            --max-cron-threads "${PRM_CLUSTER_CRON_THREADS:-1}" \
            --data-dir "$data_dir" --out "$STATE/node$i.conf" >/dev/null
    done
    for i in $(seq 1 "$NODES"); do
        say "starting node $i on 127.0.0.1:${HTTP_PORTS[$((i - 1))]}"
        : >"$(node_log "$i")"  # one log per start (start-node appends)
        launch_node "$i"
    done
    for i in $(seq 1 "$NODES"); do wait_for_node "$i"; done
    render_nginx
    "$NGINX" "${NGINX_ARGS[@]}" || die "nginx did not start, see $STATE/nginx-error.log"
    wait_for "nginx" "$URL/web/login" nginx_pid
    trap - EXIT
    say "cluster '$NAME': $NODES nodes on database '$DB' behind $URL (stop: make stop or scripts/cluster.sh stop)"
    echo "$URL"
}

status() {
    local i pid rc=0
    for i in $(seq 1 "$NODES"); do
        local http=${HTTP_PORTS[$((i - 1))]}
        if pid=$(node_pid "$i"); then
            echo "node$i running pid $pid http 127.0.0.1:$http longpolling 127.0.0.1:$((http + 1))"
        else
            echo "node$i stopped http 127.0.0.1:$http longpolling 127.0.0.1:$((http + 1))"; rc=3
        fi
    done
    if pid=$(nginx_pid); then echo "nginx running pid $pid $URL"
    else echo "nginx stopped $URL"; rc=3; fi
    return $rc
}

case "${1:-}" in
    start) start ;;
    stop) stop_all ;;
    status) [ -f "$STATE/cluster.env" ] || die "no cluster '$NAME' (never started)"; status ;;
    stop-node) stop_node_drained "${2:?node number}" ;;
    start-node) start_node "${2:?node number}" ;;
    rolling-restart) shift; rolling_restart "$@" ;;
    url) echo "$URL" ;;
    *) die "usage: cluster.sh start|stop|status|stop-node N|start-node N|rolling-restart [-u MODULES]|url (see the top of $0)" ;;
esac
