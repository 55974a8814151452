"""Automatic lead routing: which dealer gets a new lead (no Odoo imports).

Head office keeps an ordered list of routing rules. For a lead, the first
rule whose lead conditions match (postcode prefix, touchpoint) and that
leaves at least one eligible dealer wins; within its dealers the rule
picks by round robin or by weight (free capacity x acceptance rate).

Shapes (plain dicts, so the ORM, the tests and the bench share the logic):

- lead: ``{"id": int, "zip": str or None, "touchpoint_id": int or None,
  "product_line_id": int or None, "excluded_dealer_ids": iterable of ids}``
- rule: ``{"id": int, "zip_prefixes": list of str (empty: any postcode),
  "touchpoint_ids": set (empty: any), "territory_ids": set of territory ids
  the dealer must be in, already expanded to the sub-areas (empty: any),
  "tier_ids": set (empty: any), "match_product_line": bool (the dealer must
  carry the lead's product line), "zip_digits": int (0: off; else the
  dealer's postcode must share its first N digits with the lead's),
  "method": "round_robin" or "weighted"}``
- dealer: ``{"id": int, "zip": str or None, "territory_id", "tier_id",
  "product_line_ids": set, "capacity": int (open leads at most; 0: no
  limit), "open": int (leads awaiting the dealer), "accepted": int,
  "decided": int (accepted + declined + recalled), "last_routed": any
  number of the dealer's latest forwarding (increasing) or None (round
  robin: never routed first, then the longest ago)}``

Selection is deterministic: round robin breaks ties by dealer id, the
weighted draw uses ``random.Random`` seeded with the seed and the lead id.
"""
import random

METHODS = ("round_robin", "weighted")


def normalized_zip(value):
    """The postcode without blanks, or '' (postcodes are compared as text)."""
    return "".join((value or "").split())


def parse_prefixes(text):
    """Postcode prefixes from a comma/blank separated text: ``"80, 81"`` ->
    ``["80", "81"]``; raises ValueError for a prefix that is not digits."""
    prefixes = [part for part in (text or "").replace(",", " ").split() if part]
    for prefix in prefixes:
        if not prefix.isdigit():
            raise ValueError(prefix)
    return prefixes


def acceptance_rate(accepted, decided):
    """Share (0..1) of decided forwardings the dealer accepted, or None
    without any decision. Declines and recalls (no answer in time) count
    as not accepted."""
    if not decided:
        return None
    return accepted / float(decided)


def routing_weight(dealer):
    """Weight of a dealer in a weighted draw (> 0 for an eligible dealer).

    Free capacity (1 without a limit) times the acceptance rate with one
    accepted and one missed forwarding added (Laplace), so a new dealer
    starts at 0.5 instead of 0 and one decline does not shut him out.
    """
    capacity = dealer.get("capacity") or 0
    free = capacity - (dealer.get("open") or 0) if capacity else 1
    rate = ((dealer.get("accepted") or 0) + 1.0) / ((dealer.get("decided") or 0) + 2.0)
    return max(free, 0) * rate


def lead_matches(rule, lead):
    """True if the rule's lead conditions hold: postcode prefix, touchpoint,
    and a product line on the lead when the rule routes by product line."""
    prefixes = rule.get("zip_prefixes") or []
    if prefixes and not normalized_zip(lead.get("zip")).startswith(tuple(prefixes)):
        return False
    touchpoints = rule.get("touchpoint_ids")
    if touchpoints and lead.get("touchpoint_id") not in touchpoints:
        return False
    if rule.get("match_product_line") and not lead.get("product_line_id"):
        return False
    return True


def eligible(rule, lead, dealer):
    """True if the dealer may get the lead under the rule."""
    if dealer["id"] in (lead.get("excluded_dealer_ids") or ()):
        return False
    capacity = dealer.get("capacity") or 0
    if capacity and (dealer.get("open") or 0) >= capacity:
        return False
    territories = rule.get("territory_ids")
    if territories and dealer.get("territory_id") not in territories:
        return False
    tiers = rule.get("tier_ids")
    if tiers and dealer.get("tier_id") not in tiers:
        return False
    if rule.get("match_product_line") and \
            lead.get("product_line_id") not in (dealer.get("product_line_ids") or ()):
        return False
    digits = rule.get("zip_digits") or 0
    if digits:
        lead_zip = normalized_zip(lead.get("zip"))[:digits]
        if len(lead_zip) < digits or \
                normalized_zip(dealer.get("zip"))[:digits] != lead_zip:
            return False
    return True


def _round_robin(candidates):
    # never routed first, then the longest ago; ties by id
    return min(candidates, key=lambda dealer: (
        dealer.get("last_routed") is not None, dealer.get("last_routed") or 0,
        dealer["id"]))


def _weighted(candidates, rng):
    ordered = sorted(candidates, key=lambda dealer: dealer["id"])
    weights = [routing_weight(dealer) for dealer in ordered]
    total = sum(weights)
    if total <= 0:
        return _round_robin(ordered)
    point = rng.random() * total
    for dealer, weight in zip(ordered, weights):
        point -= weight
        if point < 0:
            return dealer
    return ordered[-1]


class DealerIndex(object):
    """The dealers of a routing batch, grouped by postcode area on demand.

    ``pool(rule, lead)`` gives the dealers a rule has to look at for a
    lead: with ``zip_digits`` only those of the lead's postcode area (one
    dict lookup instead of a pass over the network), else all. Selection
    does not depend on the order of the candidates (round robin and the
    weighted draw order by id), so the pool changes only the speed. The
    dealer dicts are shared, not copied (``route_many`` updates them).
    """

    def __init__(self, dealers):
        self.dealers = list(dealers)
        self._areas = {}

    def pool(self, rule, lead):
        """The dealers worth checking with ``eligible`` (a list)."""
        digits = rule.get("zip_digits") or 0
        if not digits:
            return self.dealers
        areas = self._areas.get(digits)
        if areas is None:
            areas = self._areas[digits] = {}
            for dealer in self.dealers:
                area = normalized_zip(dealer.get("zip"))[:digits]
                if len(area) == digits:
                    areas.setdefault(area, []).append(dealer)
        return areas.get(normalized_zip(lead.get("zip"))[:digits], [])


def choose(rules, lead, dealers, seed=0):
    """The routing decision for one lead.

    ``rules`` in their order, ``dealers`` an iterable of dealer dicts or a
    ``DealerIndex`` of them. Returns ``(rule, dealer)`` (the dicts given)
    or ``(None, None)`` when no rule matches with an eligible dealer.
    Raises ValueError for an unknown method.
    """
    index = dealers if isinstance(dealers, DealerIndex) else DealerIndex(dealers)
    for rule in rules:
        method = rule.get("method") or "round_robin"
        if method not in METHODS:
            raise ValueError("unknown routing method %r" % method)
        if not lead_matches(rule, lead):
            continue
        candidates = [dealer for dealer in index.pool(rule, lead)
                      if eligible(rule, lead, dealer)]
        if not candidates:
            continue
        if method == "weighted":
            rng = random.Random("%s:%s" % (seed, lead.get("id")))
            return rule, _weighted(candidates, rng)
        return rule, _round_robin(candidates)
    return None, None


def route_many(rules, leads, dealers, seed=0):
    """Route several leads in order, counting each routing at once.

    Every chosen dealer's ``open`` grows by one and ``last_routed`` becomes
    the next number after the highest one, so capacity and round robin hold
    within the batch. Returns a list of ``(lead, rule, dealer)``. The dealer
    dicts are updated in place.
    """
    result = []
    index = DealerIndex(dealers)
    counter = max([dealer.get("last_routed") or 0 for dealer in index.dealers]
                  or [0])
    for lead in leads:
        rule, dealer = choose(rules, lead, index, seed=seed)
        if dealer is not None:
            counter += 1
            dealer["open"] = (dealer.get("open") or 0) + 1
            dealer["last_routed"] = counter
        result.append((lead, rule, dealer))
    return result
