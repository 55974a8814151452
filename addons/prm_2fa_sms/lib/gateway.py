"""SMS delivery through a provider's HTTP API.

The request is a POST to ``url`` with the fields ``to`` (E.164), ``from``
(sender name) and ``text``, sent as a JSON object or as an urlencoded form.
Authentication is either a bearer token or HTTP basic auth.

A delivery counts as failed on connection errors, timeouts, HTTP status
>= 400, and a JSON body whose ``status`` is ``error`` or ``rejected``.
Otherwise ``send`` returns the provider's ``id`` or ``message_id`` if the
JSON body has one.
"""

import requests

from .errors import TwoFactorError, _
from .phone import mask_phone

PAYLOAD_FORMATS = ("json", "form")
FAILED_STATUSES = ("error", "rejected")


class SmsDeliveryError(TwoFactorError):
    """The provider did not accept the message.

    ``detail`` is meant for logs; it names the masked recipient and the
    failure, never the code or the full number.
    """

    template = _("The code could not be sent. Please try again in a moment.")

    def __init__(self, detail):
        super().__init__()
        self.detail = detail


class HttpSmsGateway:
    """Send SMS through a generic HTTP provider."""

    def __init__(
        self,
        url,
        payload_format="json",
        username=None,
        password=None,
        token=None,
        sender="PRM",
        timeout=10,
    ):
        if not url:
            raise ValueError("url is required")
        if payload_format not in PAYLOAD_FORMATS:
            raise ValueError("payload_format must be one of %s" % (PAYLOAD_FORMATS,))
        if token and username:
            # requests would silently let basic auth override the bearer header.
            raise ValueError("use either a bearer token or basic auth, not both")
        self.url = url
        self.payload_format = payload_format
        self.username = username
        self.password = password
        self.token = token
        self.sender = sender
        self.timeout = timeout

    def _request_options(self, to_e164, text):
        payload = {"to": to_e164, "from": self.sender, "text": text}
        options = {"timeout": self.timeout, "headers": {"Accept": "application/json"}}
        if self.payload_format == "json":
            options["json"] = payload
        else:
            options["data"] = payload
        if self.token:
            options["headers"]["Authorization"] = "Bearer %s" % self.token
        elif self.username:
            options["auth"] = (self.username, self.password or "")
        return options

    def send(self, to_e164, text):
        """Send ``text`` to ``to_e164``; return the provider message id or None.

        Raises SmsDeliveryError when the provider did not accept the message.
        """
        recipient = mask_phone(to_e164)
        try:
            response = requests.post(self.url, **self._request_options(to_e164, text))
        except requests.Timeout:
            raise SmsDeliveryError(
                "SMS to %s: no answer within %ss" % (recipient, self.timeout)
            ) from None
        except requests.RequestException as exc:
            # The exception text may quote the URL; the class name suffices.
            raise SmsDeliveryError(
                "SMS to %s: request failed (%s)" % (recipient, type(exc).__name__)
            ) from None
        # Response bodies are left out of details: providers may echo the
        # message text, which holds the code.
        if response.status_code >= 400:
            raise SmsDeliveryError(
                "SMS to %s: HTTP %s" % (recipient, response.status_code)
            )
        body = _json_object(response)
        status = str(body.get("status", "")).lower()
        if status in FAILED_STATUSES:
            raise SmsDeliveryError(
                "SMS to %s: provider status %r" % (recipient, status)
            )
        for key in ("id", "message_id"):
            if body.get(key) not in (None, ""):
                return str(body[key])
        return None


def _json_object(response):
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
