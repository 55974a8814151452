"""SMS delivery through a provider's HTTP API.

The request is a POST to ``url`` with the fields ``to`` (E.164), ``from``
(sender name) and ``text``, sent as a JSON object or as an urlencoded form.
Authentication is either a bearer token or HTTP basic auth.

A delivery counts as failed on connection errors, timeouts, HTTP status
>= 400, and a JSON body whose ``status`` is ``error`` or ``rejected``.
Otherwise ``send`` returns the provider's ``id`` or ``message_id`` if the
JSON body has one.

Provider presets (``lib.sms_providers``) reuse the transport (``_post``) and
override how the request is built (``_request_options``) and how the answer
is read (``_parse_response``).
"""

import requests

from .errors import TwoFactorError, _
from .phone import mask_phone

PAYLOAD_FORMATS = ("json", "form")
FAILED_STATUSES = ("error", "rejected")


class SmsDeliveryError(TwoFactorError):
    """The provider did not accept the message.

    ``detail`` is meant for logs; it names the masked recipient and the
    failure, never the code or the full number. ``error_code`` (str or None:
    the provider's own code, ``HTTP <status>``, ``timeout`` or
    ``connection``) and ``error_message`` (str or None, the provider's text
    with numbers masked) are shown to administrators. The user sees only the
    generic ``template``.
    """

    template = _("The code could not be sent. Please try again in a moment.")

    def __init__(self, detail, error_code=None, error_message=None):
        super().__init__()
        self.detail = detail
        self.error_code = error_code
        self.error_message = error_message


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
        response = self._post(self._request_options(to_e164, text), recipient)
        return self._parse_response(response, recipient)

    def _post(self, options, recipient):
        """POST to ``self.url``; return the response, whatever its status.

        Raises SmsDeliveryError on timeouts and connection errors.
        """
        try:
            return requests.post(self.url, **options)
        except requests.Timeout:
            raise SmsDeliveryError(
                "SMS to %s: no answer within %ss" % (recipient, self.timeout),
                error_code="timeout",
            ) from None
        except requests.RequestException as exc:
            # The exception text may quote the URL; the class name suffices.
            raise SmsDeliveryError(
                "SMS to %s: request failed (%s)" % (recipient, type(exc).__name__),
                error_code="connection",
                error_message=type(exc).__name__,
            ) from None

    def _parse_response(self, response, recipient):
        # Response bodies are left out of details: providers may echo the
        # message text, which holds the code.
        if response.status_code >= 400:
            raise SmsDeliveryError(
                "SMS to %s: HTTP %s" % (recipient, response.status_code),
                error_code="HTTP %s" % response.status_code,
            )
        body = _json_object(response)
        status = str(body.get("status", "")).lower()
        if status in FAILED_STATUSES:
            raise SmsDeliveryError(
                "SMS to %s: provider status %r" % (recipient, status),
                error_code=status,
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
