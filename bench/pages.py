"""Rows (1) and (2) of ``make bench`` alone, with many samples: the analysis
page against ``/my/home`` of the same director, interleaved (a tool for
profiling and for comparing a change; the shared machine's load hits both).

Usage: python bench/pages.py --db DB [--url URL] [--rounds 20] [--per-round 10]
       [--workers 4] [--warmup N] [--data-route]

Without ``--url`` a multi-process Odoo (like ``make bench``) is started on DB.
Prints median and p95 of each page and their ratios as JSON. Like ``make
bench`` it lifts the SMS sign-in limits of DB (a bench database or a copy).
"""
import argparse
import importlib.util
import json
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _run_module():
    spec = importlib.util.spec_from_file_location(
        "bench_run", os.path.join(ROOT, "bench", "run.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--url")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--per-round", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--warmup", type=int, default=None,
                        help="requests per page before measuring (default 2 per "
                             "worker; 0 counts each worker's first, cold view)")
    parser.add_argument("--data-route", action="store_true",
                        help="also time /my/benchmark/data (JSON)")
    args = parser.parse_args()
    run = _run_module()
    bench = run.Bench.__new__(run.Bench)
    bench.db, bench.pg, bench.results = args.db, run.pg_connect(args.db), {}
    bench.server = run.Server(args.db, args.workers)
    bench.prepare()
    started_here = not args.url
    if started_here:
        bench.server.start()
    url = args.url or bench.server.url
    try:
        session = bench.login(bench.directors(1)[0], url)
        pages = {
            "analysis": lambda: session.get(url + "/my/benchmark", timeout=120),
            "home": lambda: session.get(url + "/my/home", timeout=120),
        }
        if args.data_route:
            pages["data"] = lambda: session.post(
                url + "/my/benchmark/data", timeout=120, json={
                    "jsonrpc": "2.0", "method": "call", "params": {}})
        samples = {name: [] for name in pages}
        warmup = 2 * args.workers if args.warmup is None else args.warmup
        for name, call in pages.items():   # first requests of each worker
            for _index in range(warmup):
                assert call().status_code == 200, name
        for _round in range(args.rounds):
            for name, call in pages.items():
                for _index in range(args.per_round):
                    started = time.perf_counter()
                    response = call()
                    samples[name].append(time.perf_counter() - started)
                    assert response.status_code == 200, (name, response.status_code)
        result = {name: run.summary(values) for name, values in samples.items()}
        result["bytes"] = {name: len(call().content) for name, call in pages.items()}
        result["ratio_median"] = (result["analysis"]["median"]
                                  / result["home"]["median"])
        result["analysis_p95_over_median"] = (result["analysis"]["p95"]
                                              / result["analysis"]["median"])
        if args.data_route:
            result["data_ratio_median"] = (result["data"]["median"]
                                           / result["home"]["median"])
        json.dump(result, sys.stdout, indent=1)
        sys.stdout.write("\n")
    finally:
        if started_here:
            bench.server.stop()
        bench.pg.close()


if __name__ == "__main__":
    main()
