"""Presets for SMS providers used in Germany, on top of ``HttpSmsGateway``.

Each preset knows its provider's documented request (address, auth header,
body fields) and reads its success and error answers; the transport
(timeouts, connection errors) is the generic gateway's. The settings hold one
set of fields for all presets:

============  ====================  ===================  ==================
preset        user name / password  token                sender
============  ====================  ===================  ==================
sipgate       token ID / token      -                    SMS extension (s0)
linkmobility  (user / password)     bearer access token  sender address
twilio        Account SID / token   -                    From number, or a
                                                         Messaging Service
                                                         SID (MG...)
messagebird   -                     access key           originator
============  ====================  ===================  ==================

``url`` overrides the preset's address (tests point it at 127.0.0.1); a
``{account_sid}`` in it is filled with the user name (Twilio).

Failures raise ``SmsDeliveryError`` with ``error_code`` (the provider's code,
else ``HTTP <status>``) and ``error_message`` (the provider's text with
numbers masked: providers echo the recipient, and the text holds the code).
"""

import re
from urllib.parse import quote

from .gateway import HttpSmsGateway, SmsDeliveryError, _json_object

# Longest provider error text kept for administrators.
MESSAGE_LENGTH = 200
# Five digits or more, maybe grouped: phone numbers and sign-in codes.
_DIGIT_RUN = re.compile(r"\+?\d(?:[ \-./()]{0,2}\d){4,}")
_DIGITS = re.compile(r"\d+")
# Digits a provider text or code may keep in all: fewer than a phone
# number's or a sign-in code's digits, whatever separates them.
MAX_DIGITS = 4
CODE_LENGTH = 20
_SIPGATE_SMS_ID = re.compile(r"^s\d+$")
_TWILIO_SERVICE_SID = re.compile(r"^MG[0-9a-fA-F]{32}$")


def clean_provider_text(text):
    """``text`` (any value) as str safe for logs and the backend, or None.

    Runs of five or more digits (numbers, codes) become ``\u2026``, and
    when more than MAX_DIGITS digits remain in all (a number written with
    wider separators, "0151 / 1000 / 0077", "12_34_56"), every digit run
    does; the result is cut to MESSAGE_LENGTH characters.
    """
    if text in (None, ""):
        return None
    cleaned = _DIGIT_RUN.sub("\u2026", " ".join(str(text).split()))
    if sum(char.isdigit() for char in cleaned) > MAX_DIGITS:
        cleaned = _DIGITS.sub("\u2026", cleaned)
    if len(cleaned) > MESSAGE_LENGTH:
        cleaned = cleaned[:MESSAGE_LENGTH - 1] + "\u2026"
    return cleaned


def clean_error_code(code):
    """A provider's error code (any value) as a short str, or None.

    Error codes are short (Twilio ``21211``, LINK Mobility ``4002``); a
    value with a phone number's length of digits is not a code: masked.
    """
    if code in (None, ""):
        return None
    cleaned = " ".join(str(code).split())[:CODE_LENGTH]
    if sum(char.isdigit() for char in cleaned) > 6:
        return "\u2026"
    return cleaned


def _digits(to_e164):
    return "".join(char for char in str(to_e164) if char.isdigit())


class ProviderGateway(HttpSmsGateway):
    """Base of the presets: a provider's request and answer format.

    Subclasses set ``key``, ``label`` and ``default_url``, name the settings
    they need in ``required`` and implement ``_payload`` and ``_read``.
    """

    key = None
    label = None
    default_url = None
    # Settings the preset cannot work without (constructor argument names).
    required = ()
    payload_format = "json"

    def __init__(self, url=None, username=None, password=None, token=None,
                 sender=None, timeout=10, **_unused):
        values = {"username": username, "password": password, "token": token,
                  "sender": sender}
        missing = [name for name in self.required if not values[name]]
        if missing:
            raise ValueError("%s needs %s" % (self.label, ", ".join(missing)))
        super().__init__(
            (url or self.default_url).replace(
                "{account_sid}", quote(username or "", safe="")),
            payload_format=self.payload_format, timeout=timeout)
        # Kept here, not in the base class: presets send only what they use,
        # so a token left over from another preset is never sent.
        self.username = username
        self.password = password
        self.token = token
        self.sender = sender

    def _auth(self, options):
        """Add the provider's authentication to ``options``."""
        options["auth"] = (self.username, self.password or "")

    def _payload(self, to_e164, text):
        """The request body as a dict (JSON or form fields)."""
        raise NotImplementedError

    def _read(self, response, body):
        """Message id (str or None) of an accepted message.

        ``body`` is the answer's JSON object ({} if none). Raises
        ``_ProviderRefused(code, message)`` when the provider refused.
        """
        raise NotImplementedError

    def _request_options(self, to_e164, text):
        options = {"timeout": self.timeout, "headers": {"Accept": "application/json"}}
        options["json" if self.payload_format == "json" else "data"] = \
            self._payload(to_e164, text)
        self._auth(options)
        return options

    def _parse_response(self, response, recipient):
        body = _json_object(response)
        try:
            return self._read(response, body)
        except _ProviderRefused as refused:
            code = clean_error_code(refused.code) or "HTTP %s" % response.status_code
            message = clean_provider_text(refused.message)
            raise SmsDeliveryError(
                "SMS to %s via %s: HTTP %s, provider error %s%s" % (
                    recipient, self.key, response.status_code, code,
                    ": %s" % message if message else ""),
                error_code=str(code), error_message=message,
            ) from None


class _ProviderRefused(Exception):
    def __init__(self, code=None, message=None):
        super().__init__(code, message)
        self.code = None if code in (None, "") else str(code)
        self.message = message


class SipgateGateway(ProviderGateway):
    """sipgate.io REST API: ``POST /v2/sessions/sms``, basic auth with a
    personal access token (token ID / token, scope ``sessions:sms:write``),
    JSON ``{smsId, recipient, message}``; answers 204 without a body."""

    key = "sipgate"
    label = "sipgate"
    default_url = "https://api.sipgate.com/v2/sessions/sms"
    required = ("username", "password", "sender")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not _SIPGATE_SMS_ID.match(self.sender):
            raise ValueError("sipgate needs the SMS extension (e.g. s0) as sender")

    def _payload(self, to_e164, text):
        return {"smsId": self.sender, "recipient": to_e164, "message": text}

    def _read(self, response, body):
        if response.status_code >= 300:
            raise _ProviderRefused(None, body.get("message") or response.reason)
        return None


class LinkMobilityGateway(ProviderGateway):
    """LINK Mobility SMS REST API (the former websms API):
    ``POST /rest/smsmessaging/text`` with a bearer access token, JSON
    ``{recipientAddressList, messageContent, senderAddress,
    senderAddressType}``; answers ``{statusCode, statusMessage, transferId}``
    where statusCode 2000 (sent) and 2001 (queued) mean accepted."""

    key = "linkmobility"
    label = "LINK Mobility"
    default_url = "https://api.linkmobility.eu/rest/smsmessaging/text"
    accepted = (2000, 2001)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not (self.token or (self.username and self.password)):
            raise ValueError("LINK Mobility needs token, or username and password")

    def _auth(self, options):
        # Access token; older (websms) accounts use basic auth instead.
        if self.token:
            options["headers"]["Authorization"] = "Bearer %s" % self.token
        else:
            super()._auth(options)

    def _payload(self, to_e164, text):
        payload = {"recipientAddressList": [_digits(to_e164)],
                   "messageContent": text}
        if self.sender:
            payload["senderAddress"] = self.sender.lstrip("+")
            payload["senderAddressType"] = (
                "international" if _digits(self.sender) == self.sender.lstrip("+")
                else "alphanumeric")
        return payload

    def _read(self, response, body):
        try:
            status = int(body.get("statusCode"))
        except (TypeError, ValueError):
            status = None
        if status in self.accepted and response.status_code < 300:
            transfer = body.get("transferId")
            return str(transfer) if transfer not in (None, "") else None
        raise _ProviderRefused(status, body.get("statusMessage") or (
            response.reason if response.status_code >= 300 else "no statusCode"))


class TwilioGateway(ProviderGateway):
    """Twilio Programmable Messaging: ``POST /2010-04-01/Accounts/{AccountSid}
    /Messages.json``, basic auth with Account SID / auth token, form fields
    ``To``, ``From`` (or ``MessagingServiceSid``) and ``Body``; answers 201
    with the message (``sid``, ``status``) or an error
    ``{code, message, more_info, status}``."""

    key = "twilio"
    label = "Twilio"
    default_url = ("https://api.twilio.com/2010-04-01/Accounts/{account_sid}/"
                   "Messages.json")
    required = ("username", "password", "sender")
    payload_format = "form"
    failed_statuses = ("failed", "undelivered", "canceled")

    def _payload(self, to_e164, text):
        sender_field = "MessagingServiceSid" \
            if _TWILIO_SERVICE_SID.match(self.sender) else "From"
        return {"To": to_e164, sender_field: self.sender, "Body": text}

    def _read(self, response, body):
        if response.status_code >= 300:
            raise _ProviderRefused(body.get("code"), body.get("message")
                                   or response.reason)
        if str(body.get("status", "")).lower() in self.failed_statuses:
            raise _ProviderRefused(body.get("error_code"), body.get("error_message")
                                   or body.get("status"))
        return str(body["sid"]) if body.get("sid") else None


class MessageBirdGateway(ProviderGateway):
    """MessageBird (Bird) SMS API: ``POST /messages`` with the header
    ``Authorization: AccessKey <key>``, JSON ``{originator, recipients,
    body}``; answers 201 with the message (``id``) or
    ``{errors: [{code, description, parameter}]}``."""

    key = "messagebird"
    label = "MessageBird (Bird)"
    default_url = "https://rest.messagebird.com/messages"
    required = ("token", "sender")

    def _auth(self, options):
        options["headers"]["Authorization"] = "AccessKey %s" % self.token

    def _payload(self, to_e164, text):
        return {"originator": self.sender, "recipients": [int(_digits(to_e164))],
                "body": text}

    def _read(self, response, body):
        errors = [error for error in body.get("errors") or ()
                  if isinstance(error, dict)]
        if response.status_code >= 300 or errors:
            codes = ",".join(str(error.get("code")) for error in errors
                             if error.get("code") is not None)
            texts = "; ".join(
                "%s (%s)" % (error.get("description"), error["parameter"])
                if error.get("parameter") else str(error.get("description"))
                for error in errors)
            raise _ProviderRefused(codes, texts or response.reason)
        return str(body["id"]) if body.get("id") else None


PRESETS = {gateway.key: gateway for gateway in (
    SipgateGateway, LinkMobilityGateway, TwilioGateway, MessageBirdGateway)}
GENERIC = "generic"


def make_gateway(preset=GENERIC, url=None, payload_format="json", username=None,
                 password=None, token=None, sender=None, timeout=10):
    """The gateway for ``preset`` (``generic`` or a key of PRESETS).

    Empty strings count as unset. Raises ValueError when the preset is
    unknown or a setting it needs is missing or malformed.
    """
    if preset in (None, "", GENERIC):
        return HttpSmsGateway(url, payload_format=payload_format,
                              username=username or None, password=password or None,
                              token=token or None, sender=sender or "PRM",
                              timeout=timeout)
    if preset not in PRESETS:
        raise ValueError("unknown SMS provider preset %r" % (preset,))
    return PRESETS[preset](url=url or None, username=username or None,
                           password=password or None, token=token or None,
                           sender=sender or None, timeout=timeout)
