"""Target attainment and its aggregation along the territory hierarchy."""


def attainment_percent(target, actual):
    """Attainment in percent, or None when there is no target to measure against."""
    if not target or actual is None:
        return None
    return 100.0 * actual / target


def combine(rows, aggregation="sum"):
    """Combine grouped target rows into one figure.

    ``rows`` are dicts with ``target``, ``actual`` (sums over the group) and
    ``count`` (number of targets). For ``sum`` metrics (revenue, units) the
    totals add up; for ``avg`` metrics (e.g. response hours) the group value is
    the count-weighted mean of the targets and of the actuals.
    """
    target = sum(row["target"] or 0.0 for row in rows)
    actual = sum(row["actual"] or 0.0 for row in rows)
    count = sum(row["count"] for row in rows)
    if aggregation == "avg" and count:
        target, actual = target / count, actual / count
    return {
        "target": target,
        "actual": actual,
        "count": count,
        "attainment": attainment_percent(target, actual),
    }


def ancestors_map(parent_of):
    """Map each node to itself plus all its ancestors (``parent_of``: id -> id)."""
    result = {}
    for node in parent_of:
        chain, current, seen = [], node, set()
        while current and current not in seen:
            seen.add(current)
            chain.append(current)
            current = parent_of.get(current)
        result[node] = chain
    return result


def rollup(rows, parent_of, key="territory_id"):
    """Distribute leaf rows to every ancestor territory.

    ``rows``: dicts with ``key`` and any other grouping keys; returns a dict
    ``territory_id -> list of rows`` where each territory receives the rows of
    its whole subtree, so ``combine`` gives territory totals.
    """
    chains = ancestors_map(parent_of)
    grouped = {}
    for row in rows:
        for territory in chains.get(row[key], [row[key]]):
            grouped.setdefault(territory, []).append(row)
    return grouped
