"""Dealer exchange over Odoo's longpolling bus: the rules in plain Python.

Bus channel of an exchange channel: the tuple ``(database, KIND, channel
id)``. ``/longpolling/poll`` accepts only *strings* from a browser and
compares channels by their JSON text, so no client can name such a tuple:
the server adds it to a poll, for members only (``subscriptions``), and
checks each notification again before it leaves (``deliverable``).

What goes over the bus is a signal, never content: ``message`` (``id`` of a
new message the page shows) and ``withdraw`` (ids hidden or deleted). The
page fetches a new message through its own route, which renders it with
exactly the page's rules for that member.
"""
KIND = "prm.exchange"
MAX_CHANNELS = 20  # one page listens to one channel; a cap against abuse


def bus_channel(dbname, channel_id):
    """The bus channel (a tuple) of exchange channel ``channel_id``."""
    return (dbname, KIND, channel_id)


def requested_ids(raw):
    """The exchange channel ids a poll asks for (``options["prm_exchange"]``).

    ``raw``: anything from the request. Returns a sorted list of at most
    ``MAX_CHANNELS`` distinct positive ints (PostgreSQL ``integer``); other
    values are ignored, never an error.
    """
    if not isinstance(raw, (list, tuple)):
        return []
    ids = {value for value in raw
           if isinstance(value, int) and not isinstance(value, bool)
           and 0 < value < 2 ** 31}
    return sorted(ids)[:MAX_CHANNELS]


def exchange_channel_id(dbname, channel):
    """The exchange channel id of a bus ``channel`` (list or tuple as read
    back from the bus), or None when it is not an exchange bus channel of
    ``dbname``."""
    if isinstance(channel, (list, tuple)) and len(channel) == 3 and \
            channel[0] == dbname and channel[1] == KIND and \
            isinstance(channel[2], int):
        return channel[2]
    return None


def deliverable(notifications, dbname, allowed_ids):
    """``notifications`` (bus.bus.poll's dicts) without those of exchange
    channels outside ``allowed_ids`` (re-checked membership at delivery)."""
    allowed = set(allowed_ids)
    kept = []
    for notification in notifications:
        channel_id = exchange_channel_id(dbname, notification.get("channel"))
        if channel_id is None or channel_id in allowed:
            kept.append(notification)
    return kept


def message_signal(channel_id, message_id):
    """Payload announcing a new message the page shows."""
    return {"prm_exchange": "message", "channel_id": channel_id,
            "message_id": message_id}


def withdraw_signal(channel_id, message_ids):
    """Payload withdrawing messages (hidden by head office, or deleted)."""
    return {"prm_exchange": "withdraw", "channel_id": channel_id,
            "message_ids": sorted(message_ids)}
