"""The audience rule (plain Python): examples and properties."""
import datetime

from hypothesis import given, settings, strategies as st

from ..lib import audience

TODAY = datetime.date(2026, 11, 30)
ids = st.frozensets(st.integers(1, 4), max_size=3)
maybe_id = st.one_of(st.none(), st.integers(1, 4))
maybe_date = st.one_of(st.none(), st.dates(datetime.date(2026, 11, 20),
                                           datetime.date(2026, 12, 10)))

dealers = st.builds(audience.Dealer, tier_id=maybe_id, country_id=maybe_id,
                    state_id=maybe_id, territory_ids=ids, tag_ids=ids)
items = st.builds(audience.Item, published=st.booleans(), date_from=maybe_date,
                  date_to=maybe_date, tier_ids=ids, country_ids=ids,
                  state_ids=ids, territory_ids=ids, tag_ids=ids)


def item(**values):
    base = dict(published=True, date_from=None, date_to=None,
                tier_ids=frozenset(), country_ids=frozenset(),
                state_ids=frozenset(), territory_ids=frozenset(),
                tag_ids=frozenset())
    base.update({key: frozenset(value) if isinstance(value, (set, list)) else value
                 for key, value in values.items()})
    return audience.Item(**base)


GOLD_BAVARIA = audience.Dealer(tier_id=1, country_id=10, state_id=100,
                               territory_ids=frozenset({5, 50}),
                               tag_ids=frozenset({7}))


def test_empty_audience_addresses_every_dealer():
    assert audience.addresses(item(), GOLD_BAVARIA, TODAY)


def test_unpublished_never_addresses():
    assert not audience.addresses(item(published=False), GOLD_BAVARIA, TODAY)


def test_validity_bounds_are_inclusive_days():
    assert audience.addresses(item(date_from=TODAY, date_to=TODAY),
                              GOLD_BAVARIA, TODAY)
    assert not audience.addresses(item(date_to=TODAY - datetime.timedelta(1)),
                                  GOLD_BAVARIA, TODAY)
    assert not audience.addresses(item(date_from=TODAY + datetime.timedelta(1)),
                                  GOLD_BAVARIA, TODAY)


def test_each_dimension():
    assert audience.addresses(item(tier_ids={1, 2}), GOLD_BAVARIA, TODAY)
    assert not audience.addresses(item(tier_ids={2}), GOLD_BAVARIA, TODAY)
    assert audience.addresses(item(state_ids={100}), GOLD_BAVARIA, TODAY)
    assert audience.addresses(item(country_ids={10}), GOLD_BAVARIA, TODAY)
    assert not audience.addresses(item(country_ids={11}), GOLD_BAVARIA, TODAY)
    # a state of another country or a country: one region dimension (OR)
    assert audience.addresses(item(country_ids={10}, state_ids={200}),
                              GOLD_BAVARIA, TODAY)
    assert audience.addresses(item(territory_ids={5}), GOLD_BAVARIA, TODAY)
    assert not audience.addresses(item(territory_ids={6}), GOLD_BAVARIA, TODAY)
    assert audience.addresses(item(tag_ids={7, 8}), GOLD_BAVARIA, TODAY)
    assert not audience.addresses(item(tag_ids={8}), GOLD_BAVARIA, TODAY)
    # all filled dimensions must match
    assert not audience.addresses(item(tier_ids={1}, tag_ids={8}),
                                  GOLD_BAVARIA, TODAY)


def test_no_dealer_is_never_addressed():
    assert not audience.addresses(item(), None, TODAY)


def dimension_ok(values, value):
    return not values or value in values


@settings(max_examples=400, deadline=None)
@given(items, dealers, maybe_date)
def test_rule_is_the_conjunction_of_its_parts(it, dealer, day):
    day = day or TODAY
    expected = (
        it.published
        and (it.date_from is None or it.date_from <= day)
        and (it.date_to is None or day <= it.date_to)
        and dimension_ok(it.tier_ids, dealer.tier_id)
        and ((not it.country_ids and not it.state_ids)
             or (dealer.state_id is not None and dealer.state_id in it.state_ids)
             or (dealer.country_id is not None
                 and dealer.country_id in it.country_ids))
        and (not it.territory_ids or bool(it.territory_ids & dealer.territory_ids))
        and (not it.tag_ids or bool(it.tag_ids & dealer.tag_ids)))
    assert audience.addresses(it, dealer, day) == bool(expected)


@settings(max_examples=300, deadline=None)
@given(items, dealers, st.sampled_from(
    ["tier_ids", "country_ids", "state_ids", "territory_ids", "tag_ids"]),
    st.integers(1, 4))
def test_widening_a_dimension_never_removes_a_dealer(it, dealer, field, extra):
    """Adding a value to a filled dimension only widens the audience."""
    if not getattr(it, field):
        return
    wider = it._replace(**{field: getattr(it, field) | {extra}})
    if audience.addresses(it, dealer, TODAY):
        assert audience.addresses(wider, dealer, TODAY)


@settings(max_examples=300, deadline=None)
@given(items, dealers)
def test_outside_validity_nobody_is_addressed(it, dealer):
    if it.date_to:
        after = it.date_to + datetime.timedelta(days=1)
        assert not audience.addresses(it, dealer, after)
    if it.date_from:
        before = it.date_from - datetime.timedelta(days=1)
        assert not audience.addresses(it, dealer, before)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.integers(1, 50), items, max_size=8), dealers)
def test_addressed_ids_is_the_rule_per_item(catalogue, dealer):
    assert audience.addressed_ids(catalogue, dealer, TODAY) == sorted(
        item_id for item_id, it in catalogue.items()
        if audience.addresses(it, dealer, TODAY))
