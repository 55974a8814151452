# PRM Partner Portal — the two commands: `make run` and `make test`.
# Everything is installed and started by these targets; see README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help setup run run-cluster test lint stop bench pg-start pg-stop outbox core-tests

help:
	@echo "make run    set up, start PostgreSQL + Odoo with the demo network"
	@echo "make run-cluster  2 Odoo nodes (workers) behind nginx on the demo database"
	@echo "make test   set up, run lint and every test (fresh test database)"
	@echo "make lint   flake8 + pylint-odoo on addons/"
	@echo "make stop   stop Odoo (also the cluster) and PostgreSQL (data is kept)"
	@echo "make bench  performance benchmark (separate database)"
	@echo "make core-tests  Odoo's own suites (base mail portal crm web) with our addons"

setup:
	@scripts/setup.sh

run: setup
	@scripts/run.sh

run-cluster: setup
	@scripts/cluster.sh start

test: setup
	@scripts/test.sh

lint: setup
	@scripts/lint.sh

stop:
	@scripts/stop.sh

bench: setup
	@scripts/bench.sh

core-tests: setup
	@scripts/core_tests.sh

pg-start: setup
	@scripts/pg.sh start >/dev/null

pg-stop:
	@scripts/pg.sh stop

outbox:
	@scripts/outbox.sh
