"""Demo lead routing: product lines, dealer capacity and business hours,
routing rules (plain Python; stored by ``models/prm_demo_loader_routing``).

Seeded and deterministic: the same network gives the same assignment.
"""
import random

#: code, name (German: the demo's language)
PRODUCT_LINES = [
    ("mower", "Rasenmäher"),
    ("saw", "Motorsägen"),
    ("tractor", "Kompakttraktoren"),
]

#: Lead capacity (open leads awaiting an answer) per tier.
CAPACITY = {"premium": 12, "standard": 6, "service": 3}

#: Rules in order: name, postcode prefixes, region codes, tiers,
#: product line required, postcode-area digits, method.
RULES = [
    ("Kompakttraktoren: Premium-Händler der Region", "", [], ["premium"],
     True, 1, "weighted"),
    ("Region Nord (PLZ 2)", "2", ["nord"], [], False, 0, "weighted"),
    ("Region Süd (PLZ 7, 8, 9)", "7, 8, 9", ["sued"], [], False, 0, "weighted"),
    ("Region West (PLZ 3, 4, 5, 6)", "3, 4, 5, 6", ["west"], [], False, 0,
     "weighted"),
    ("Region Ost (PLZ 0, 1)", "0, 1", ["ost"], [], False, 0, "weighted"),
    ("Ganzes Netz (Reihum)", "", [], [], False, 0, "round_robin"),
]


def dealer_routing(network, seed=2026):
    """``{dealer key: {"product_lines": [codes], "capacity": int,
    "state_code": str}}`` for the network's dealers: every dealer carries
    mowers, most saws, premium dealers and some others compact tractors."""
    rng = random.Random("routing:%s" % seed)
    result = {}
    for dealer in network["dealers"]:
        lines = ["mower"]
        if rng.random() < 0.7:
            lines.append("saw")
        if dealer["tier"] == "premium" or rng.random() < 0.2:
            lines.append("tractor")
        result[dealer["key"]] = {
            "product_lines": lines,
            "capacity": CAPACITY.get(dealer["tier"], 5),
            "state_code": dealer["state_code"],
        }
    return result
