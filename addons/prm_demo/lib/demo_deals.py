"""Seeded demo deal registrations (plain Python, no Odoo imports).

A handful of registrations of the demo network's dealers: one waiting, one
approved, one rejected, one overdue (escalated by the scheduler) and one
customer registered by two dealers of the same area (the second conflicts).
"""
import random

PRODUCTS = ["Mähdrescher", "Traktor 120 PS", "Teleskoplader"]
CUSTOMERS = [
    ("Hof Brüggemann GbR", "Lindenweg 3", "49377", "Vechta", "DE811234567"),
    ("Agrar Meyer GmbH & Co. KG", "Am Esch 12", "49393", "Lohne", ""),
    ("Lohnunternehmen Wessels", "Dammer Straße 40", "49413", "Dinklage", ""),
    ("Gut Sonnenhof KG", "Gutshof 1", "17291", "Prenzlau", "DE298765432"),
    ("Milchviehbetrieb Große-Kreul", "Heideweg 9", "49401", "Damme", ""),
]
#: (outcome, days ago registered, reason of the decision)
OUTCOMES = [
    ("approved", 20, "Kunde im Gebiet des Händlers, keine Überschneidung."),
    ("rejected", 12, "Kunde wird bereits von der Zentrale betreut."),
    ("escalated", 5, ""),
    ("submitted", 0, ""),
]


def deals(network, seed=2026):
    """Registration specs: dicts with ``login`` (the registering director),
    ``customer`` (name, street, zip, city, vat), ``volume`` (EUR),
    ``expected_in_days``, ``days_ago``, ``outcome`` ("submitted",
    "approved", "rejected", "escalated"), ``reason`` and ``lines``
    ([(product name, quantity)]). The last two specs are the same customer
    by two dealers of one area; the second is the conflicting one."""
    rng = random.Random(seed + 20)
    active = [dealer for dealer in network["dealers"]
              if dealer["prm_state"] == "active"]
    by_area = {}
    for dealer in active:
        by_area.setdefault(dealer["territory"], []).append(dealer)
    pair = next(dealers for _area, dealers in sorted(by_area.items())
                if len(dealers) >= 2)[:2]
    singles = [dealer for dealer in active if dealer not in pair]
    rng.shuffle(singles)

    def director(dealer):
        return next(user["login"] for user in dealer["users"]
                    if user["role"] == "director")

    def spec(dealer, customer, outcome, days_ago, reason):
        return {"login": director(dealer), "customer": customer,
                "volume": float(rng.randrange(20, 400) * 500),
                "expected_in_days": rng.randint(30, 180), "days_ago": days_ago,
                "outcome": outcome, "reason": reason,
                "lines": [(rng.choice(PRODUCTS), rng.randint(1, 3))]}

    specs = [spec(dealer, customer, *outcome) for dealer, customer, outcome in zip(
        singles, CUSTOMERS[:len(OUTCOMES)], OUTCOMES)]
    shared = CUSTOMERS[len(OUTCOMES)]
    specs.append(spec(pair[0], shared, "submitted", 3, ""))
    specs.append(spec(pair[1], shared, "submitted", 1, ""))
    return specs
