"""The seeded demo generators (plain Python): stable, believable, consistent."""
import datetime

from ..lib import demo_exchange, demo_figures, demo_network


def test_demo_channels_follow_the_regions():
    network = demo_network.generate(seed=2026, dealer_count=40)
    channels = demo_exchange.channels(network)
    assert [c["name"] for c in channels] == [
        "Händler-Austausch", "Händler-Austausch Nord", "Händler-Austausch Süd",
        "Händler-Austausch West", "Händler-Austausch Ost"]
    network_channel, nord = channels[0], channels[1]
    # only directors of active dealers: the exchange refuses the others
    active = {u["login"] for d in network["dealers"] if d["prm_state"] == "active"
              for u in d["users"] if u["role"] == "director"}
    assert 30 <= len(active) < 40
    assert {m for m in network_channel["members"]
            if m.startswith("director")} == active
    assert {"prm.manager", "tm.nord", "tm.ost"} <= set(network_channel["members"])
    assert len(network_channel["messages"]) >= 30
    assert len({m["login"] for m in network_channel["messages"]}) >= 15
    assert all(m["days_ago"] >= 1 for m in network_channel["messages"])
    # director01 is a dealer of region Nord, director03 of region Süd
    assert "director01" in nord["members"] and "director03" not in nord["members"]
    assert "tm.nord" in nord["members"] and "tm.sued" not in nord["members"]
    authors = {m["login"] for m in network_channel["messages"] + nord["messages"]}
    assert authors <= set(network_channel["members"])


def test_same_seed_same_network_and_figures():
    today = datetime.date(2026, 11, 30)
    first = demo_network.generate(seed=2026, dealer_count=40, today=today)
    assert first == demo_network.generate(seed=2026, dealer_count=40, today=today)
    assert len(first["dealers"]) == 40
    logins = [u["login"] for d in first["dealers"] for u in d["users"]]
    assert len(logins) == len(set(logins)) == 80
    specs = [{"key": d["key"], "employees": d["employees"],
              "floor_space": d["floor_space"]} for d in first["dealers"]]
    quarters = [{"name": "Q%d/2025" % q, "season": q} for q in (1, 2, 3, 4)]
    assert demo_figures.network_figures(specs, quarters) == \
        demo_figures.network_figures(specs, quarters)


def test_demo_deals_are_seeded_and_hold_one_conflict():
    from ..lib import demo_deals
    network = demo_network.generate(seed=2026, dealer_count=40)
    specs = demo_deals.deals(network)
    assert specs == demo_deals.deals(network)
    assert {spec["outcome"] for spec in specs} == {
        "approved", "rejected", "escalated", "submitted"}
    first, second = specs[-2:]
    assert first["customer"] == second["customer"]
    assert first["login"] != second["login"]
    assert len({spec["login"] for spec in specs}) == len(specs)
