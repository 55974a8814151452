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

``requests`` records every request received, ``messages`` only the
delivered ones; each entry has ``to``, ``from``, ``text``, ``format``
(``json``/``form``), ``headers`` and ``mode``.
"""

import json
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

MODES = ("ok", "error500", "reject", "slow", "down")
MAX_BODY_BYTES = 64 * 1024
_CODE = re.compile(r"(?<![0-9])[0-9]{6}(?![0-9])")


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # Clients that gave up (timeouts) make late answers fail; expected.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _parse_message(raw, content_type):
    text = raw.decode("utf-8", "replace")
    if "json" in content_type:
        try:
            data = json.loads(text)
        except ValueError:
            data = {}
        data = data if isinstance(data, dict) else {}
        payload_format = "json"
    else:
        data = {key: values[0] for key, values in parse_qs(text).items()}
        payload_format = "form"
    return {
        "to": data.get("to"),
        "from": data.get("from"),
        "text": data.get("text"),
        "format": payload_format,
    }


class FakeSmsProvider:
    """Threaded HTTP server on 127.0.0.1 with an ephemeral port."""

    def __init__(self, mode="ok", slow_seconds=2.0, id_field="id"):
        self.mode = mode
        self.slow_seconds = slow_seconds
        self.id_field = id_field
        self.messages = []
        self.requests = []
        self.url = None
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
        self.url = "http://127.0.0.1:%d/sms" % self._server.server_address[1]
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
        entry = _parse_message(raw, handler.headers.get("Content-Type", ""))
        entry.update(headers=dict(handler.headers), mode=mode)
        with self._lock:
            self.requests.append(entry)

        if mode == "down":
            handler.close_connection = True
            return
        if mode == "error500":
            _answer(handler, 500, {"status": "error", "message": "internal error"})
            return
        if mode == "reject":
            _answer(handler, 200, {"status": "rejected", "reason": "blocked"})
            return
        if mode == "slow" and self._stopping.wait(self.slow_seconds):
            return

        with self._lock:
            self.messages.append(entry)
            message_id = "fake-%d" % len(self.messages)
        if self.id_field is None:
            _answer(handler, 200, None)
        else:
            _answer(handler, 200, {"status": "ok", self.id_field: message_id})


def _answer(handler, status, body):
    if body is None:
        data, content_type = b"OK", "text/plain"
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
