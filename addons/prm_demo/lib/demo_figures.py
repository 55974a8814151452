"""Plausible quarterly figures of a machinery dealer (demo and benchmark data).

Deterministic for a given seed; the proportions follow what inter-firm
comparisons of agricultural machinery dealers report (revenue mix, margins
per profit centre, stock and backlog ranges).
"""
import random


def dealer_profile(rng):
    """Traits that stay with a dealer over time."""
    return {
        "efficiency": rng.uniform(0.8, 1.25),
        "growth": rng.uniform(-0.02, 0.05),
        "mix_new": rng.uniform(0.45, 0.62),
        "margin_new": rng.uniform(0.08, 0.13),
        "margin_used": rng.uniform(0.09, 0.18),
        "margin_workshop": rng.uniform(0.55, 0.72),
        "margin_parts": rng.uniform(0.24, 0.36),
        "stock_months": rng.uniform(1.2, 3.5),
        "dso_share": rng.uniform(0.18, 0.42),
        "billable": rng.uniform(0.64, 0.86),
        "warranty": rng.uniform(0.025, 0.09),
    }


def quarter_figures(rng, profile, employees, floor_space, quarter_index, season):
    """One quarter's inputs ``{code: value}``; ``season`` is 1-4."""
    seasonal = {1: 0.85, 2: 1.15, 3: 1.1, 4: 0.9}[season]
    revenue = (employees * 62000.0 * profile["efficiency"] * seasonal
               * (1 + profile["growth"]) ** (quarter_index / 4.0)
               * rng.uniform(0.94, 1.06))
    rev_new = revenue * profile["mix_new"] * rng.uniform(0.9, 1.1)
    rev_used = revenue * 0.15 * rng.uniform(0.8, 1.2)
    rev_workshop = revenue * 0.11 * rng.uniform(0.9, 1.1)
    rev_parts = revenue * 0.15 * rng.uniform(0.9, 1.1)
    rev_other = revenue * 0.02 * rng.uniform(0.5, 1.5)
    gp_new = rev_new * profile["margin_new"] * rng.uniform(0.9, 1.1)
    gp_used = rev_used * profile["margin_used"] * rng.uniform(0.85, 1.15)
    gp_workshop = rev_workshop * profile["margin_workshop"]
    gp_parts = rev_parts * profile["margin_parts"]
    personnel = revenue * rng.uniform(0.095, 0.125)
    overhead = personnel / rng.uniform(0.6, 0.72)
    result = gp_new + gp_used + gp_workshop + gp_parts - overhead
    technicians = max(1.0, round(employees * rng.uniform(0.3, 0.42), 1))
    attendance = technicians * 430.0
    monthly_machines = (rev_new + rev_used) / 3.0
    values = {
        "rev_new": rev_new, "rev_used": rev_used, "rev_workshop": rev_workshop,
        "rev_parts": rev_parts, "rev_other": rev_other,
        "backlog_new": monthly_machines * rng.uniform(0.8, 3.8),
        "backlog_used": rev_used / 3.0 * rng.uniform(0.2, 1.0),
        "stock_new": (rev_new - gp_new) / 3.0 * profile["stock_months"],
        "stock_used": (rev_used - gp_used) / 3.0 * profile["stock_months"] * 1.6,
        "stock_parts": rev_parts * rng.uniform(0.9, 1.6),
        "gp_new": gp_new, "gp_used": gp_used, "gp_workshop": gp_workshop,
        "gp_parts": gp_parts, "personnel_cost": personnel,
        "overhead_cost": overhead, "operating_result": result,
        "receivables": revenue * profile["dso_share"],
        "hours_attendance": attendance,
        "hours_billable": attendance * profile["billable"] * rng.uniform(0.96, 1.04),
        "hours_warranty": attendance * profile["warranty"],
        "employees": float(employees),
        "technicians": technicians,
        "sales_staff": max(1.0, round(employees * 0.12, 1)),
        "floor_space": float(floor_space),
        "machines_sold": float(max(0, round(rev_new / 95000.0))),
    }
    return {code: round(value, 2) for code, value in values.items()}


def network_figures(dealers, quarters, seed=2026):
    """``{(dealer_key, quarter_name): {code: value}}`` for all dealers.

    ``dealers``: dicts with key, employees, floor_space; ``quarters``: dicts
    with name and season (1-4), oldest first.
    """
    return {(dealer["key"], name): values for dealer in dealers
            for name, values in dealer_figures(dealer, quarters, seed)}


def dealer_figures(dealer, quarters, seed=2026):
    """``[(quarter_name, {code: value})]`` of one dealer, oldest first: the
    same as ``network_figures`` gives for it (a random generator of its own per
    dealer), for networks too large to hold all figures at once."""
    rng = random.Random("%s-%s" % (seed, dealer["key"]))
    profile = dealer_profile(rng)
    return [(quarter["name"], quarter_figures(
        rng, profile, dealer["employees"], dealer["floor_space"], index,
        quarter["season"])) for index, quarter in enumerate(quarters)]
