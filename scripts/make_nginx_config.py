"""Render config/nginx.conf.template for a cluster of Odoo nodes.

Usage: make_nginx_config.py --state DIR --port N --node HTTP:LONGPOLLING ...
Writes DIR/nginx.conf and creates DIR/tmp; prints the file name.
"""
import argparse
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def server_lines(ports):
    return "\n".join("        server 127.0.0.1:%d max_fails=1 fail_timeout=10s;" % port
                     for port in ports)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--state", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--node", action="append", required=True,
                        help="HTTP_PORT:LONGPOLLING_PORT of one node")
    args = parser.parse_args()
    state = os.path.abspath(args.state)
    nodes = [tuple(int(p) for p in node.split(":")) for node in args.node]
    values = {
        "@STATE@": state,
        "@LISTEN@": "127.0.0.1:%d" % args.port,
        "@ODOO_SERVERS@": server_lines(http for http, _lp in nodes),
        "@LONGPOLLING_SERVERS@": server_lines(lp for _http, lp in nodes),
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
