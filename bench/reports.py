"""make bench, rows (11) and (12): the PDF reports of issue 19.

(11) a director's personal report (``/my/benchmark/report.pdf``, the view's
default period and group), (12) head office's network report of the open
period (Odoo's ``/report/pdf/prm_benchmark.report_network/<period>``).
Time: wall clock of the download, median of ``REPETITIONS`` after one warm-up
(the warm-up pays matplotlib's import and the report's first QWeb compile
once per worker). Memory: the peak RSS of the serving worker sampled every
20 ms as in row (5), and separately the peak RSS of its wkhtmltopdf child.

Used by bench/run.py (``measure(bench, summary)``, ``report_rows()``); run
alone against one prepared database with
``python bench/reports.py --db DB`` (starts its own server).
"""
import sys
import threading
import time

REPETITIONS = 3


class PeakRss:
    """Samples the RSS of the server's workers and of their children
    (wkhtmltopdf) while a request runs; KiB per pid."""

    def __init__(self, bench):
        # bench/run.py's /proc readers (one rule in one place)
        run = sys.modules[type(bench).__module__]
        self.rss_kib, self.children = run.rss_kib, run.children
        self.server_pid = bench.server.process.pid
        self.workers, self.helpers = {}, {}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.sample)

    def sample(self):
        while not self.done.is_set():
            for worker in self.children(self.server_pid):
                self.workers[worker] = max(self.workers.get(worker, 0),
                                           self.rss_kib(worker))
                for helper in self.children(worker):
                    self.helpers[helper] = max(self.helpers.get(helper, 0),
                                               self.rss_kib(helper))
            time.sleep(0.02)

    def __enter__(self):
        self.before = {pid: self.rss_kib(pid)
                       for pid in self.children(self.server_pid)}
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.done.set()
        self.thread.join()

    def worker_mib(self):
        """Peak of the worker that grew most (the one that served)."""
        worker = max(self.workers,
                     key=lambda pid: self.workers[pid] - self.before.get(pid, 0))
        return self.workers[worker] / 1024.0

    def helper_mib(self):
        return max(self.helpers.values() or [0]) / 1024.0


def download(bench, session, url):
    """(seconds, worker peak MiB, wkhtmltopdf peak MiB, bytes) of one PDF."""
    with PeakRss(bench) as peak:
        started = time.perf_counter()
        response = session.get(url, timeout=900)
        seconds = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    assert response.content.startswith(b"%PDF"), url
    return seconds, peak.worker_mib(), peak.helper_mib(), len(response.content)


def measure_one(bench, summary, session, url):
    download(bench, session, url)   # warm-up
    samples = [download(bench, session, url) for _index in range(REPETITIONS)]
    return dict(summary([s[0] for s in samples]),
                peak_rss_mib=max(s[1] for s in samples),
                wkhtmltopdf_peak_rss_mib=max(s[2] for s in samples),
                bytes=samples[-1][3])


def measure(bench, summary):
    """Fills ``bench.results["report_personal"]`` and ``["report_network"]``."""
    url = bench.server.url
    director = bench.login(bench.directors(1)[0])
    bench.results["report_personal"] = measure_one(
        bench, summary, director, url + "/my/benchmark/report.pdf")
    period = bench.sql("SELECT id FROM prm_benchmark_period "
                       "WHERE state = 'open'")[0][0]
    bench.results["report_network"] = measure_one(
        bench, summary, bench.login("prm.manager"),
        url + "/report/pdf/prm_benchmark.report_network/%d" % period)


def report_rows():
    """(label, cell function) rows for bench/run.py's table."""
    return [
        ("(11) personal report PDF, median s",
         lambda r: "%.1f" % r["report_personal"]["median"]),
        ("(11) personal report peak RSS MiB",
         lambda r: "%.0f" % r["report_personal"]["peak_rss_mib"]),
        ("(12) network report PDF (head office), median s",
         lambda r: "%.1f" % r["report_network"]["median"]),
        ("(12) network report peak RSS MiB",
         lambda r: "%.0f" % r["report_network"]["peak_rss_mib"]),
    ]


def main():
    """Only rows (11) and (12) against one prepared bench database."""
    import argparse
    import json
    import os

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import run

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--db", required=True)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    os.makedirs(os.path.join(run.LOCAL, "bench"), exist_ok=True)
    bench = run.Bench.__new__(run.Bench)
    bench.db, bench.size = args.db, None
    bench.pg = run.pg_connect(args.db)
    bench.server = run.Server(args.db, args.workers)
    bench.results = {}
    bench.prepare()
    bench.server.start()
    try:
        measure(bench, run.summary)
    finally:
        bench.server.stop()
        bench.pg.close()
    print(json.dumps(bench.results, indent=2))
    for label, cell in report_rows():
        print("| %s | %s |" % (label, cell(bench.results)))


if __name__ == "__main__":
    main()
