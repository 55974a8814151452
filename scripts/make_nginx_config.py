"""Render config/nginx.conf.template for a cluster of Odoo nodes.

Usage: make_nginx_config.py --state DIR --port N --node HTTP:LONGPOLLING ...
                            [--down HTTP ...]
Writes DIR/nginx.conf and creates DIR/tmp; prints the file name. A node named
by ``--down`` (its HTTP port) is marked ``down`` in both upstreams: drained
before a planned stop (scripts/cluster.sh stop-node), nginx sends it nothing.
"""
import argparse
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def server_lines(ports, down=()):
    """One upstream ``server`` line per port; the ports in ``down`` marked down."""
    return "\n".join("        server 127.0.0.1:%d max_fails=1 fail_timeout=10s%s;"
                     % (port, " down" if port in down else "") for port in ports)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--state", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--node", action="append", required=True,
                        help="HTTP_PORT:LONGPOLLING_PORT of one node")
    parser.add_argument("--down", action="append", type=int, default=[],
                        help="HTTP_PORT of a node that gets no requests")
    args = parser.parse_args()
    state = os.path.abspath(args.state)
    nodes = [tuple(int(p) for p in node.split(":")) for node in args.node]
    down = {port for http, lp in nodes if http in args.down for port in (http, lp)}
    values = {
        "@STATE@": state,
        "@LISTEN@": "127.0.0.1:%d" % args.port,
        "@ODOO_SERVERS@": server_lines([http for http, _lp in nodes], down),
        "@LONGPOLLING_SERVERS@": server_lines([lp for _http, lp in nodes], down),
    }
    with open(os.path.join(ROOT, "config", "nginx.conf.template")) as handle:
        text = handle.read()
    for key, value in values.items():
        text = text.replace(key, value)
    os.makedirs(os.path.join(state, "tmp"), exist_ok=True)
    out = os.path.join(state, "nginx.conf")
    with open(out, "w") as handle:
        handle.write(text)
    print(out)


if __name__ == "__main__":
    main()
