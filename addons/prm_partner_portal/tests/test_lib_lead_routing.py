"""Lead routing and response deadlines (plain Python, no ORM)."""
import datetime

import pytest

from ..lib import lead_deadlines, lead_routing


def dealer(id_, **values):
    base = {"id": id_, "zip": "80331", "territory_id": 1, "tier_id": 1,
            "product_line_ids": {1}, "capacity": 0, "open": 0, "accepted": 0,
            "decided": 0, "last_routed": None}
    base.update(values)
    return base


def rule(id_, **values):
    base = {"id": id_, "zip_prefixes": [], "touchpoint_ids": set(),
            "territory_ids": set(), "tier_ids": set(),
            "match_product_line": False, "zip_digits": 0,
            "method": "round_robin"}
    base.update(values)
    return base


LEAD = {"id": 7, "zip": "80 469", "touchpoint_id": 3, "product_line_id": 2,
        "excluded_dealer_ids": ()}


def test_first_matching_rule_with_a_dealer_wins():
    dealers = [dealer(1, territory_id=1), dealer(2, territory_id=2)]
    rules = [rule(10, zip_prefixes=["10"], territory_ids={1}),   # postcode no
             rule(11, zip_prefixes=["80"], territory_ids={9}),   # no dealer
             rule(12, zip_prefixes=["80"], territory_ids={2}),
             rule(13)]
    chosen_rule, chosen = lead_routing.choose(rules, LEAD, dealers)
    assert (chosen_rule["id"], chosen["id"]) == (12, 2)


def test_no_rule_no_dealer():
    assert lead_routing.choose([rule(1, tier_ids={5})], LEAD, [dealer(1)]) == (
        None, None)


def test_product_line_tier_capacity_exclusion_and_postcode_area():
    dealers = [dealer(1, product_line_ids={1}),
               dealer(2, product_line_ids={2}, tier_id=2),
               dealer(3, product_line_ids={2}, capacity=2, open=2),
               dealer(4, product_line_ids={2}, zip="10115")]
    by_line = rule(1, match_product_line=True)
    assert lead_routing.choose([by_line], LEAD, dealers)[1]["id"] == 2
    assert lead_routing.choose([rule(1, tier_ids={1}, match_product_line=True)],
                               LEAD, dealers)[1]["id"] == 4
    near = rule(1, match_product_line=True, zip_digits=2)
    assert lead_routing.choose([near], LEAD, dealers)[1]["id"] == 2
    assert lead_routing.choose([by_line], dict(LEAD, product_line_id=None),
                               dealers) == (None, None)
    excluded = dict(LEAD, excluded_dealer_ids={2})
    assert lead_routing.choose([near], excluded, dealers) == (None, None)


def test_round_robin_takes_turns_and_breaks_ties_by_id():
    dealers = [dealer(3), dealer(1), dealer(2, last_routed=4)]
    leads = [dict(LEAD, id=i) for i in range(6)]
    routed = lead_routing.route_many([rule(1)], leads, dealers)
    assert [chosen["id"] for _lead, _rule, chosen in routed] == [1, 3, 2, 1, 3, 2]


def test_weighted_is_seeded_and_follows_capacity_and_acceptance():
    def draw(seed):
        dealers = [dealer(1, capacity=10, accepted=9, decided=10),
                   dealer(2, capacity=10, accepted=0, decided=10),
                   dealer(3, capacity=1, open=1)]   # full
        leads = [dict(LEAD, id=i) for i in range(400)]
        rows = lead_routing.route_many([rule(1, method="weighted")], leads,
                                       dealers, seed=seed)
        return [chosen and chosen["id"] for _lead, _rule, chosen in rows]

    first = draw(5)
    assert first == draw(5)
    assert first != draw(6)
    assert 3 not in first
    # dealer 1 gets the lead until he is full (capacity 10) more often
    assert first[:10].count(1) > first[:10].count(2)
    assert first.count(1) == 10 and first.count(2) == 10
    assert first[20:] == [None] * 380


def test_postcode_area_index_routes_like_a_pass_over_all_dealers():
    # the index only narrows which dealers are checked: same choices,
    # same capacity and round-robin bookkeeping as checking every dealer
    import random
    rng = random.Random(3)

    def network():
        return [dealer(i, zip=rng.choice(["80331", "8 0469", "81541", "1011",
                                          None, "20095"]),
                       capacity=rng.choice([0, 1, 2]),
                       tier_id=rng.choice([1, 2]),
                       last_routed=rng.choice([None, 1, 2, 3]))
                for i in range(1, 60)]

    rules = [rule(1, zip_digits=2, method="weighted", tier_ids={2}),
             rule(2, zip_digits=3), rule(3, zip_digits=1, method="weighted"),
             rule(4)]
    zips = ["80 331", "815", "1", "", None, "20095", "99999"]
    leads = [dict(LEAD, id=i, zip=rng.choice(zips),
                  excluded_dealer_ids={rng.randint(1, 60)})
             for i in range(150)]
    state = rng.getstate()
    indexed = lead_routing.route_many(rules, leads, network(), seed=4)
    rng.setstate(state)
    dealers = network()
    counter = max(d["last_routed"] or 0 for d in dealers)
    for lead, (_lead, chosen_rule, chosen) in zip(leads, indexed):
        want_rule, want = None, None
        for candidate_rule in rules:   # the definition, dealer by dealer
            if not lead_routing.lead_matches(candidate_rule, lead):
                continue
            pool = [d for d in dealers
                    if lead_routing.eligible(candidate_rule, lead, d)]
            if pool:
                want_rule, want = lead_routing.choose(
                    [candidate_rule], lead, pool, seed=4)
                break
        assert (chosen_rule and chosen_rule["id"], chosen and chosen["id"]) == \
            (want_rule and want_rule["id"], want and want["id"])
        if want is not None:
            counter += 1
            want["open"] += 1
            want["last_routed"] = counter


def test_weight_and_acceptance_rate():
    assert lead_routing.acceptance_rate(0, 0) is None
    assert lead_routing.acceptance_rate(3, 4) == 0.75
    assert lead_routing.routing_weight(dealer(1)) == 0.5
    assert lead_routing.routing_weight(dealer(1, capacity=4, open=1, accepted=2,
                                              decided=2)) == 3 * 0.75
    assert lead_routing.routing_weight(dealer(1, capacity=1, open=3)) == 0


def test_bad_configuration_is_refused():
    with pytest.raises(ValueError):
        lead_routing.choose([rule(1, method="lottery")], LEAD, [dealer(1)])
    with pytest.raises(ValueError):
        lead_routing.parse_prefixes("80, 8a")
    assert lead_routing.parse_prefixes(" 80,81  82") == ["80", "81", "82"]


T = datetime.datetime


def test_due_steps_in_order_and_once():
    remind, deadline, recall = T(2026, 1, 5, 10), T(2026, 1, 5, 12), T(2026, 1, 6, 9)
    steps = lead_deadlines.due_steps
    assert steps(T(2026, 1, 5, 9), "open", remind, deadline, recall) == []
    assert steps(T(2026, 1, 5, 10), "open", remind, deadline, recall) == ["remind"]
    assert steps(T(2026, 1, 5, 11), "reminded", remind, deadline, recall) == []
    assert steps(T(2026, 1, 5, 12), "reminded", remind, deadline,
                 recall) == ["escalate"]
    assert steps(T(2026, 1, 5, 12), "open", remind, deadline, recall) == ["escalate"]
    assert steps(T(2026, 1, 6, 8), "escalated", remind, deadline, recall) == []
    assert steps(T(2026, 1, 6, 9), "escalated", remind, deadline,
                 recall) == ["recall"]
    # a cron that slept through everything does all at once, without reminder
    assert steps(T(2026, 1, 9), "open", remind, deadline, recall) == [
        "escalate", "recall"]
    assert steps(T(2026, 1, 9), "open", None, None, None) == []
    with pytest.raises(ValueError):
        steps(T(2026, 1, 9), "gone", None, None, None)


def test_remaining_time():
    now = T(2026, 1, 5, 10, 0, 30)
    assert lead_deadlines.remaining(now, T(2026, 1, 5, 13, 20, 30)) == (
        False, 3, 20)
    assert lead_deadlines.remaining(now, T(2026, 1, 5, 9, 0, 30)) == (True, 1, 0)
    assert lead_deadlines.remaining(now, None) is None


def test_holidays_of_one_state_not_another():
    bavaria = dict(lead_deadlines.state_holidays("BY", [2026]))
    berlin = dict(lead_deadlines.state_holidays("BE", [2026]))
    epiphany = datetime.date(2026, 1, 6)
    assert epiphany in bavaria and epiphany not in berlin
    assert datetime.date(2026, 3, 8) in berlin and datetime.date(2026, 3, 8) \
        not in bavaria
    assert datetime.date(2026, 12, 25) in bavaria and datetime.date(
        2026, 12, 25) in berlin


def test_local_day_across_daylight_saving_change():
    start, end = lead_deadlines.local_day_in_utc(
        datetime.date(2026, 3, 29), "Europe/Berlin")
    assert (start, end) == (T(2026, 3, 28, 23), T(2026, 3, 29, 22))
    start, end = lead_deadlines.local_day_in_utc(
        datetime.date(2026, 10, 25), "Europe/Berlin")
    assert end - start == datetime.timedelta(hours=25)


def test_after_business_hours_walks_the_spans():
    spans = [(T(2026, 1, 5, 15), T(2026, 1, 5, 16)),
             (T(2026, 1, 6, 7), T(2026, 1, 6, 11))]
    after = lead_deadlines.after_business_hours
    start = T(2026, 1, 5, 15)
    assert after(start, spans, 0) == start
    assert after(start, spans, 1) == T(2026, 1, 5, 16)
    assert after(start, spans, 1.5) == T(2026, 1, 6, 7, 30)
    assert after(start, spans, 9) == T(2026, 1, 6, 11)
    assert after(start, [], 3) == start
