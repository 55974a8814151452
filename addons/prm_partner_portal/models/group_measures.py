"""One definition at every level: the figures of grouped rows.

Odoo's ``read_group`` aggregates a measure with the field's
``group_operator`` over every record of a group. For our non-additive
figures that is another rule than the one of a single record or of our own
statistics: a territory row of the targets pivot summed medians, the
response-time pivot averaged unanswered leads as 0 h (Odoo 11 stores an
empty computed float as 0.0). The helpers below give a group's measure by
the level's own definition, or no figure (blank) when the group has none.

Models call them from ``read_group``; ``RAW`` in the context gives Odoo's
plain aggregation (used for the sub-queries, no recursion).
"""

RAW = "prm_raw_read_group"


def is_raw(model):
    return bool(model.env.context.get(RAW))


def _raw(model):
    return model.with_context(**{RAW: True})


def distinct_values(model, domain, field):
    """The distinct values of ``field`` (many2one: ids) in ``domain``."""
    groups = _raw(model).read_group(domain, [field], [field], lazy=True)
    values = [group[field] for group in groups]
    return [value[0] if isinstance(value, tuple) else value for value in values]


def group_domain(group, domain):
    """The domain of a ``read_group`` row; ``domain`` (the whole query's)
    for the one row of a query without groupby, which has none."""
    return list(group.get("__domain", domain))


def average_of_counted(model, groups, field, counted, domain):
    """Set ``field`` of each group (``read_group(domain, ...)`` result, in
    place) to its mean over the records of the group that satisfy the
    domain ``counted``; False (shown blank) when there are none."""
    for group in groups:
        if field not in group:
            continue
        total = _raw(model).read_group(
            group_domain(group, domain) + list(counted), [field], [], lazy=False)
        group[field] = total[0][field] if total and total[0]["__count"] \
            else False
    return groups


def blank_unless_single(model, groups, fields, key, domain):
    """Blank ``fields`` of each group (``read_group(domain, ...)`` result)
    that holds records of more than one ``key`` value (e.g. several KPIs:
    their units do not mix). Returns ``{index of group: the single key
    value}`` of the other groups."""
    single = {}
    for index, group in enumerate(groups):
        if not set(fields) & set(group):
            continue
        values = distinct_values(model, group_domain(group, domain), key)
        if len(values) == 1:
            single[index] = values[0]
        else:
            for field in fields:
                if field in group:
                    group[field] = False
    return single


def group_count(group, groupby):
    """Number of records of a ``read_group`` row (lazy or not)."""
    if "__count" in group:
        return group["__count"]
    first = groupby[0] if isinstance(groupby, (list, tuple)) else groupby
    return group.get("%s_count" % first.split(":")[0], 0)
