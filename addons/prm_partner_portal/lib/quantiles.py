"""Percentiles exactly as PostgreSQL's ``percentile_cont`` computes them.

Shared by the response-time figures here and the benchmark statistics of
``prm_benchmark``, whose SQL aggregates they mirror.
"""
import math


def percentile_cont(sorted_values, fraction):
    """Continuous percentile of ascending ``sorted_values``, like PostgreSQL.

    Interpolates linearly between the two closest ranks at position
    ``fraction * (n - 1)``, using PostgreSQL's float8 arithmetic (identical to
    Python's ``statistics.quantiles(method='inclusive')`` up to rounding).
    Returns None for an empty list.
    """
    if not 0 <= fraction <= 1:
        raise ValueError('fraction must be between 0 and 1, got %r' % fraction)
    if not sorted_values:
        return None
    position = fraction * (len(sorted_values) - 1)
    lower_index = int(math.floor(position))
    upper_index = int(math.ceil(position))
    lower = float(sorted_values[lower_index])
    upper = float(sorted_values[upper_index])
    weight = position - lower_index
    result = lower + (upper - lower) * weight
    if not math.isfinite(result):
        # upper - lower overflowed (neighbours near the float limits, of
        # opposite signs): weighting each neighbour alone cannot overflow.
        # PostgreSQL would return infinity here.
        result = lower * (1 - weight) + upper * weight
    # Rounding may push the result a hair outside its two neighbours, which
    # would e.g. leave the top quartile empty; clamping only affects that case.
    return min(max(result, lower), upper)
