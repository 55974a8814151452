"""A local fake SMS provider for gateway and system tests (no Odoo).

Usage::

    with FakeSmsProvider() as provider:
        gateway = HttpSmsGateway(provider.url)
        ...
        provider.mode = "down"
        code = provider.last_code()

Modes, switchable at runtime through ``mode``:

- ``ok``: delivers, answers 200 ``{"status": "ok", "<id_field>": "fake-N"}``
  (plain ``OK`` when ``id_field`` is None)
- ``error500``: answers 500 ``{"status": "error"}``
- ``reject``: answers 200 ``{"status": "rejected"}``
- ``slow``: waits ``slow_seconds`` (meant to exceed the client timeout),
  then delivers like ``ok``
- ``down``: closes the connection without an answer

- ``auth``: answers 401 (refused credentials)

``dialect`` makes the fake speak a provider preset's format
(``lib.sms_providers``) instead of the generic one: ``sipgate``,
``linkmobility``, ``twilio`` or ``messagebird``. Then ``url`` is that
provider's path on the fake (Twilio's with ``{account_sid}`` for the gateway
to fill), a request to another path gets 404, and ``reject``, ``auth`` and
``error500`` answer in the provider's documented error format (see
``DIALECTS``); ``ok`` answers like the provider (sipgate: 204 without body).

``requests`` records every request received, ``messages`` only the
delivered ones; each entry has ``to``, ``from``, ``text``, ``format``
(``json``/``form``), ``path``, ``body`` (the decoded JSON or form dict),
``headers`` and ``mode``.
"""

import json
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

MODES = ("ok", "error500", "reject", "slow", "down", "auth")
MAX_BODY_BYTES = 64 * 1024
_CODE = re.compile(r"(?<![0-9])[0-9]{6}(?![0-9])")


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # Clients that gave up (timeouts) make late answers fail; expected.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _decode(raw, content_type):
    """(body dict, format) of a request body."""
    text = raw.decode("utf-8", "replace")
    if "json" in content_type:
        try:
            data = json.loads(text)
        except ValueError:
            data = {}
        return (data if isinstance(data, dict) else {}), "json"
    return {key: values[0] for key, values in parse_qs(text).items()}, "form"


def _first(values):
    return values[0] if isinstance(values, list) and values else None


class Dialect:
    """A provider's path, field names and answers, as the fake speaks them.

    ``fields`` maps the entry's ``to``/``from``/``text`` to body keys (a
    list value takes its first item). ``answers`` maps a mode to ``(HTTP
    status, JSON body or None)``; ``ok`` bodies may hold ``{id}`` and
    ``{to}`` placeholders (filled with the message id and the recipient).
    """

    def __init__(self, path, fields, answers, path_pattern=None):
        self.path = path
        self.fields = fields
        self.answers = answers
        self.path_pattern = re.compile(path_pattern or re.escape(path) + "$")

    def entry(self, body):
        values = {}
        for name, key in self.fields.items():
            value = body.get(key)
            value = _first(value) if isinstance(value, list) else value
            values[name] = None if value is None else str(value)
        return values

    def answer(self, mode, message_id=None, to=None):
        status, body = self.answers[mode]
        return status, _filled(body, {"{id}": message_id, "{to}": to or ""})


def _filled(value, places):
    if isinstance(value, dict):
        return {key: _filled(item, places) for key, item in value.items()}
    if isinstance(value, list):
        return [_filled(item, places) for item in value]
    if isinstance(value, str):
        for place, text in places.items():
            value = value.replace(place, str(text))
    return value


# Error bodies as the providers document them (see lib/sms_providers.py);
# the rejections echo the recipient like the real APIs do.
DIALECTS = {
    "generic": Dialect("/sms", {"to": "to", "from": "from", "text": "text"}, {
        "error500": (500, {"status": "error", "message": "internal error"}),
        "reject": (200, {"status": "rejected", "reason": "blocked"}),
        "auth": (401, {"status": "error", "message": "unauthorized"}),
    }, path_pattern=r"/"),
    "sipgate": Dialect(
        "/v2/sessions/sms",
        {"to": "recipient", "from": "smsId", "text": "message"}, {
            "ok": (204, None),
            "reject": (400, {"message": "Invalid recipient {to}"}),
            "auth": (401, None),
            "error500": (500, None),
        }),
    "linkmobility": Dialect(
        "/rest/smsmessaging/text",
        {"to": "recipientAddressList", "from": "senderAddress",
         "text": "messageContent"}, {
            "ok": (200, {"statusCode": 2000, "statusMessage": "OK",
                         "transferId": "{id}", "clientMessageId": None}),
            "reject": (200, {"statusCode": 4002,
                             "statusMessage": "Invalid recipient {to}"}),
            "auth": (401, {"statusCode": 4001,
                           "statusMessage": "Invalid credentials"}),
            "error500": (500, {"statusCode": 5000,
                               "statusMessage": "Internal error"}),
        }),
    "twilio": Dialect(
        "/2010-04-01/Accounts/{account_sid}/Messages.json",
        {"to": "To", "from": "From", "text": "Body"}, {
            "ok": (201, {"sid": "SM{id}", "status": "queued", "to": "{to}",
                         "error_code": None, "error_message": None}),
            "reject": (400, {
                "code": 21211,
                "message": "The 'To' number {to} is not a valid phone number.",
                "more_info": "https://www.twilio.com/docs/errors/21211",
                "status": 400}),
            "auth": (401, {
                "code": 20003, "message": "Authenticate",
                "more_info": "https://www.twilio.com/docs/errors/20003",
                "status": 401}),
            "error500": (500, {
                "code": 20500, "message": "Internal Server Error",
                "more_info": "https://www.twilio.com/docs/errors/20500",
                "status": 500}),
        }, path_pattern=r"/2010-04-01/Accounts/AC[0-9a-f]{32}/Messages\.json$"),
    "messagebird": Dialect(
        "/messages",
        {"to": "recipients", "from": "originator", "text": "body"}, {
            "ok": (201, {"id": "{id}", "direction": "mt", "type": "sms",
                         "recipients": {"totalCount": 1, "totalSentCount": 1}}),
            "reject": (422, {"errors": [{
                "code": 9, "description": "no (correct) recipients found",
                "parameter": "recipients"}]}),
            "auth": (401, {"errors": [{
                "code": 2, "description": "Request not allowed (incorrect "
                "access_key)", "parameter": "access_key"}]}),
            "error500": (500, {"errors": [{
                "code": 99, "description": "internal error",
                "parameter": None}]}),
        }),
}


class FakeSmsProvider:
    """Threaded HTTP server on 127.0.0.1 with an ephemeral port."""

    def __init__(self, mode="ok", slow_seconds=2.0, id_field="id",
                 dialect="generic"):
        if dialect not in DIALECTS:
            raise ValueError("dialect must be one of %s" % (sorted(DIALECTS),))
        self.dialect = dialect
        self.mode = mode
        self.slow_seconds = slow_seconds
        self.id_field = id_field
        self.messages = []
        self.requests = []
        self.url = self.base_url = None
        self._server = None
        self._thread = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()

    @property
    def mode(self):
        return self._mode

    @mode.setter
    def mode(self, value):
        if value not in MODES:
            raise ValueError("mode must be one of %s" % (MODES,))
        self._mode = value

    def start(self):
        """Start serving in a background thread; return self."""
        if self._server is not None:
            raise RuntimeError("already started")
        self._server = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        self.base_url = "http://127.0.0.1:%d" % self._server.server_address[1]
        self.url = self.base_url + DIALECTS[self.dialect].path
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}
        )
        self._thread.daemon = True
        self._thread.start()
        return self

    def stop(self):
        """Stop serving; wakes handlers waiting in ``slow`` mode."""
        if self._server is None:
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    def last_code(self):
        """First 6-digit group of the latest delivered text, or None."""
        with self._lock:
            if not self.messages:
                return None
            text = self.messages[-1]["text"] or ""
        match = _CODE.search(text)
        return match.group(0) if match else None

    def _handle(self, handler):
        mode = self.mode
        try:
            length = int(handler.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        raw = handler.rfile.read(max(0, min(length, MAX_BODY_BYTES)))
        dialect = DIALECTS[self.dialect]
        body, payload_format = _decode(raw, handler.headers.get("Content-Type", ""))
        entry = dialect.entry(body)
        entry.update(format=payload_format, path=handler.path, body=body,
                     headers=dict(handler.headers), mode=mode)
        with self._lock:
            self.requests.append(entry)

        if mode == "down":
            handler.close_connection = True
            return
        if not dialect.path_pattern.match(handler.path):
            _answer(handler, 404, {"message": "not found"})
            return
        if mode in ("error500", "reject", "auth"):
            _answer(handler, *dialect.answer(mode, to=entry["to"]))
            return
        if mode == "slow" and self._stopping.wait(self.slow_seconds):
            return

        with self._lock:
            self.messages.append(entry)
            message_id = "fake-%d" % len(self.messages)
        if self.dialect != "generic":
            _answer(handler, *dialect.answer("ok", message_id, entry["to"]))
        elif self.id_field is None:
            _answer(handler, 200, None)
        else:
            _answer(handler, 200, {"status": "ok", self.id_field: message_id})


def _answer(handler, status, body):
    if status == 204:
        handler.send_response(status)
        handler.end_headers()
        return
    if body is None:
        data = b"OK" if status == 200 else b""
        content_type = "text/plain"
    else:
        data, content_type = json.dumps(body).encode("utf-8"), "application/json"
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


def _handler_for(provider):
    class Handler(BaseHTTPRequestHandler):
        # One request per connection: "down" then simply closes the socket.
        protocol_version = "HTTP/1.0"

        def do_POST(self):
            provider._handle(self)

        def log_message(self, format, *args):
            # Keeps test output clean; requests are recorded instead.
            pass

    return Handler


# Settings each provider preset is tested with (ORM and system tests).
TWILIO_SID = "AC" + "0123456789abcdef" * 2
PRESET_PARAMS = {
    "sipgate": {"http_username": "token-id", "http_password": "tok",
                "http_sender": "s0"},
    "linkmobility": {"http_token": "link-token", "http_sender": "PRM"},
    "twilio": {"http_username": TWILIO_SID, "http_password": "auth-token",
               "http_sender": "+4915199990000"},
    "messagebird": {"http_token": "live_key", "http_sender": "PRM"},
}
