"""Render config/odoo.conf.template into .local/ with ports, paths and secrets.

Usage: make_config.py [--db NAME] [--http-port N] [--out FILE] [--demo] ...
The admin (database manager) password is generated once per checkout into
.local/secrets/admin_passwd and never committed.
"""
import argparse
import os
import secrets
import sysconfig

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOCAL = os.path.join(ROOT, ".local")


def admin_password():
    return generated_secret("admin_passwd")


def generated_secret(name):
    """The secret ``name`` of this checkout, generated on first use."""
    path = os.path.join(LOCAL, "secrets", name)
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(32))
    with open(path) as handle:
        return handle.read().strip()


def pg_port():
    """The port scripts/pg.sh started the cluster on (remembered per checkout)."""
    path = os.path.join(LOCAL, "pg.port")
    if not os.path.exists(path):
        return os.environ.get("PRM_PG_PORT", "5433")
    with open(path) as handle:
        return handle.read().strip()


def main():
    parser = argparse.ArgumentParser()
    env = os.environ.get
    parser.add_argument("--db", default=env("PRM_DB", "prm"))
    parser.add_argument("--http-port", default=env("PRM_HTTP_PORT", "8069"))
    parser.add_argument(
        "--longpolling-port", default=env("PRM_LONGPOLLING_PORT", "8072"))
    parser.add_argument("--workers", default=env("PRM_WORKERS", "0"))
    parser.add_argument("--max-cron-threads", default=env("PRM_CRON_THREADS", "1"))
    parser.add_argument("--data-dir", default=os.path.join(LOCAL, "filestore"))
    parser.add_argument("--logfile", default="False")
    parser.add_argument("--without-demo", default="False")
    parser.add_argument("--out", default=os.path.join(LOCAL, "odoo.conf"))
    args = parser.parse_args()
    site_addons = os.path.join(sysconfig.get_paths()["purelib"], "odoo", "addons")
    values = {
        "addons_path": ",".join([os.path.join(ROOT, "addons"), site_addons]),
        "data_dir": args.data_dir,
        "pg_port": env("PRM_PG_PORT_OVERRIDE") or pg_port(),
        "pg_role": env("PRM_PG_ROLE", "odoo"),
        "db_name": args.db,
        "admin_passwd": admin_password(),
        "prm_2fa_secret_key": generated_secret("prm_2fa_secret_key"),
        "proxy_mode": "True" if env("PRM_PROXY_MODE") == "1" else "False",
        "http_interface": env("PRM_HTTP_INTERFACE", "127.0.0.1"),
        "http_port": args.http_port,
        "longpolling_port": args.longpolling_port,
        "workers": args.workers,
        "max_cron_threads": args.max_cron_threads,
        "logfile": args.logfile,
        "without_demo": args.without_demo,
    }
    with open(os.path.join(ROOT, "config", "odoo.conf.template")) as handle:
        text = handle.read().format(**values)
    fd = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    print(args.out)


if __name__ == "__main__":
    main()
