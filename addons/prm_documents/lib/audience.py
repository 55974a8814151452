"""Who is addressed by a document or a news item: the one audience rule.

Used by the record rules (through ``prm.audience.mixin``'s search helper),
the portal routes (which search as the user) and the mail digest.

An item addresses a dealer at a day ``today`` when

* it is published,
* its validity has begun and not ended: ``date_from <= today <= date_to``
  (either bound may be missing; both are inclusive days), and
* the dealer matches every audience dimension the item fills in:
  tiers, regions (a country, or a state of a country), territories
  (a territory includes its sub-areas) and dealer tags. Within one
  dimension any value matches (OR); across dimensions all must (AND).
  An item with no dimension filled in addresses all dealers.
"""
from collections import namedtuple

#: What the rule knows about a dealer. ``territory_ids``: the dealer's
#: territory and all its ancestors; ``tag_ids``: the dealer's tags.
Dealer = namedtuple("Dealer", "tier_id country_id state_id territory_ids tag_ids")

#: What the rule knows about an item. Dates are ``datetime.date`` or None;
#: the id sets are frozensets (empty: the dimension is not restricted).
Item = namedtuple("Item", "published date_from date_to tier_ids country_ids "
                          "state_ids territory_ids tag_ids")


def is_valid(item, today):
    """True when ``today`` (a date) lies within the item's validity."""
    if item.date_from and today < item.date_from:
        return False
    if item.date_to and today > item.date_to:
        return False
    return True


def _region_matches(item, dealer):
    """Region: the dealer's state is one of the states, or its country one
    of the countries (countries and states of an item are one dimension)."""
    if not item.country_ids and not item.state_ids:
        return True
    return (dealer.state_id in item.state_ids if dealer.state_id else False) or \
        (dealer.country_id in item.country_ids if dealer.country_id else False)


def matches(item, dealer):
    """True when the dealer belongs to the item's audience (dates aside)."""
    if item.tier_ids and dealer.tier_id not in item.tier_ids:
        return False
    if not _region_matches(item, dealer):
        return False
    if item.territory_ids and not item.territory_ids & set(dealer.territory_ids):
        return False
    if item.tag_ids and not item.tag_ids & set(dealer.tag_ids):
        return False
    return True


def addresses(item, dealer, today):
    """Does the item address the dealer on ``today``? The complete rule.

    ``dealer`` None (a user without dealer company) is never addressed.
    """
    return bool(dealer is not None and item.published and is_valid(item, today)
                and matches(item, dealer))


def addressed_ids(items, dealer, today):
    """Ids of the addressed items; ``items``: mapping id -> Item."""
    return sorted(item_id for item_id, item in items.items()
                  if addresses(item, dealer, today))
