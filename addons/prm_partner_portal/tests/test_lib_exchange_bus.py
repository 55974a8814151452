"""Bus channels of the dealer exchange (plain Python)."""
import json

from ..lib import exchange_bus


def test_requested_ids_take_only_small_positive_ints():
    assert exchange_bus.requested_ids([7, 7, 3, "5", 5.0, True, -1, 0, 2 ** 31,
                                       None, [4]]) == [3, 7]
    assert exchange_bus.requested_ids("7") == []
    assert exchange_bus.requested_ids({"id": 7}) == []
    assert exchange_bus.requested_ids(None) == []
    many = list(range(1, 100))
    assert exchange_bus.requested_ids(many) == many[:exchange_bus.MAX_CHANNELS]


def test_no_string_names_the_exchange_bus_channel():
    """Core compares channels by their JSON text; a browser sends strings."""
    channel = exchange_bus.bus_channel("db", 7)
    stored = json.dumps(channel, separators=(",", ":"))
    for attempt in (stored, "prm.exchange", "db", "7", str(channel)):
        assert json.dumps(attempt, separators=(",", ":")) != stored


def test_deliverable_drops_exchanges_no_longer_readable():
    notifications = [
        {"id": 1, "channel": ["db", "prm.exchange", 7], "message": {}},
        {"id": 2, "channel": ["db", "prm.exchange", 8], "message": {}},
        {"id": 3, "channel": ["db", "res.partner", 8], "message": {}},
        {"id": 4, "channel": ["other", "prm.exchange", 8], "message": {}},
        {"id": 5, "channel": "public", "message": {}},
    ]
    kept = exchange_bus.deliverable(notifications, "db", [7])
    assert [n["id"] for n in kept] == [1, 3, 4, 5]
    assert [n["id"] for n in exchange_bus.deliverable(notifications, "db", [])] \
        == [3, 4, 5]


def test_signals_carry_ids_only():
    assert exchange_bus.message_signal(7, 42) == {
        "prm_exchange": "message", "channel_id": 7, "message_id": 42}
    assert exchange_bus.withdraw_signal(7, {43, 42}) == {
        "prm_exchange": "withdraw", "channel_id": 7, "message_ids": [42, 43]}
