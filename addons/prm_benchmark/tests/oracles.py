"""Reference implementations the tests compare the product's code with.

Plain, slow and obviously right; no production code calls them (issue 15:
test oracles live with the tests).
"""


def rank_of(own_value, values, higher_is_better=True):
    """Counting oracle of ``lib/statistics.rank_in_sorted`` (same rank and
    percentile definition): ``values`` in any order, None values ignored;
    (None, None) when ``own_value`` is None or the group is empty."""
    present = [value for value in values if value is not None]
    if own_value is None or not present:
        return None, None
    if higher_is_better:
        better = sum(1 for value in present if value > own_value)
        at_most_as_good = sum(1 for value in present if value <= own_value)
    else:
        better = sum(1 for value in present if value < own_value)
        at_most_as_good = sum(1 for value in present if value >= own_value)
    return better + 1, 100.0 * at_most_as_good / len(present)
