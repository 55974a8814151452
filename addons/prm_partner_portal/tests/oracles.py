"""Reference implementations the tests compare the product's code with.

Plain and obviously right; no production code calls them (issue 15: test
oracles live with the tests).
"""
from ..lib.quantiles import percentile_cont
from ..lib.response_time import DEFAULT_TARGET_HOURS


def summarize(durations_hours, target_hours=DEFAULT_TARGET_HOURS):
    """Count, average, median, 90th percentile and share answered within target.

    ``durations_hours``: response times in hours (None = not answered, ignored).
    ``target_hours``: one target for all, or a sequence with one target per
    duration (e.g. the touchpoint of each lead); a None target counts as the
    default target. ``within_target_share`` is a fraction (0..1) of the
    answered leads with ``duration <= target``; ``average`` is the mean in
    hours of all answered leads (0 h included). Figures are None when
    nothing was answered.
    """
    durations = list(durations_hours)
    if isinstance(target_hours, (int, float)) or target_hours is None:
        targets = [target_hours] * len(durations)
    else:
        targets = list(target_hours)
        if len(targets) != len(durations):
            raise ValueError("one target per duration expected")
    pairs = [(float(duration), DEFAULT_TARGET_HOURS if target is None
              else float(target))
             for duration, target in zip(durations, targets)
             if duration is not None]
    values = sorted(duration for duration, _target in pairs)
    count = len(values)
    within = sum(1 for duration, target in pairs if duration <= target)
    return {
        "count": count,
        "average": sum(values) / count if count else None,
        "median": percentile_cont(values, 0.5),
        "p90": percentile_cont(values, 0.9),
        "within_target_share": within / count if count else None,
    }
