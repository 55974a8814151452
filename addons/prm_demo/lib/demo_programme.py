"""Partner programme of the demo network: tier criteria and technicians.

Thresholds fit the generated network (``demo_network``: revenue of about
55,000 EUR per employee and quarter, attainment 78-118 %, 8 quarters of
benchmark figures, a few leads per dealer) so an evaluation proposes both
up- and downgrades.
"""

#: tier code -> {criterion code: minimum}; the service tier is open to all
CRITERIA = {
    "premium": {"revenue_4q": 8000000.0, "attainment": 98.0, "benchmark": 3.0,
                "technicians": 4.0, "satisfaction": 3.5},
    "standard": {"revenue_4q": 2500000.0, "attainment": 90.0, "benchmark": 2.0,
                 "technicians": 1.0},
    "service": {},
}
#: tier code -> grace months of a downgrade from it
GRACE_MONTHS = {"premium": 6, "standard": 3, "service": 0}


def technicians(employees, number):
    """Certified technicians of demo dealer ``number`` (1-based) with
    ``employees``: about one in eight employees, every third dealer one less."""
    return max(0, employees // 8 - (1 if number % 3 == 0 else 0))
