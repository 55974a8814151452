"""Provider presets against local fakes that speak each provider's format."""

import base64

import pytest

from ..lib.gateway import HttpSmsGateway, SmsDeliveryError
from ..lib.sms_providers import (PRESETS, LinkMobilityGateway, MessageBirdGateway,
                                 SipgateGateway, TwilioGateway, clean_provider_text,
                                 make_gateway)
from .fake_sms_provider import FakeSmsProvider

NUMBER = "+4915123456767"
CODE = "042917"
TEXT = "Your PRM sign-in code: %s. It is valid for 5 minutes." % CODE
USER_MESSAGE = "The code could not be sent. Please try again in a moment."
TWILIO_SID = "AC" + "0123456789abcdef" * 2
SERVICE_SID = "MG" + "fedcba9876543210" * 2

# preset -> the settings an administrator enters for it
SETTINGS = {
    "sipgate": {"username": "token-id-1", "password": "tok-secret", "sender": "s0"},
    "linkmobility": {"token": "link-token", "sender": "PRM Portal"},
    "twilio": {"username": TWILIO_SID, "password": "auth-token",
               "sender": "+4915199990000"},
    "messagebird": {"token": "live_key", "sender": "PRM"},
}


def basic(user, password):
    return "Basic " + base64.b64encode(
        ("%s:%s" % (user, password)).encode()).decode("ascii")


@pytest.fixture(autouse=True)
def no_proxy_for_localhost(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


def fake(preset, **kwargs):
    return FakeSmsProvider(dialect=preset, slow_seconds=3, **kwargs)


def gateway_for(preset, provider, **overrides):
    settings = dict(SETTINGS[preset], **overrides)
    return make_gateway(preset, url=provider.url, timeout=2, **settings)


def refused(preset, mode):
    """The SmsDeliveryError of one send in ``mode``; checks it is safe."""
    with fake(preset, mode=mode) as provider:
        with pytest.raises(SmsDeliveryError) as caught:
            gateway_for(preset, provider).send(NUMBER, TEXT)
        assert provider.messages == []
    error = caught.value
    assert str(error) == USER_MESSAGE
    for text in (error.detail, error.error_message or ""):
        assert CODE not in text and NUMBER not in text and NUMBER[1:] not in text
    return error


# --- requests ---------------------------------------------------------------

def test_sipgate_request():
    with fake("sipgate") as provider:
        assert gateway_for("sipgate", provider).send(NUMBER, TEXT) is None
        [sent] = provider.messages
    assert sent["path"] == "/v2/sessions/sms"
    assert sent["format"] == "json"
    assert sent["body"] == {"smsId": "s0", "recipient": NUMBER, "message": TEXT}
    assert sent["headers"]["Authorization"] == basic("token-id-1", "tok-secret")


def test_linkmobility_request_and_transfer_id():
    with fake("linkmobility") as provider:
        assert gateway_for("linkmobility", provider).send(NUMBER, TEXT) == "fake-1"
        [sent] = provider.messages
    assert sent["path"] == "/rest/smsmessaging/text"
    assert sent["body"] == {
        "recipientAddressList": [NUMBER[1:]], "messageContent": TEXT,
        "senderAddress": "PRM Portal", "senderAddressType": "alphanumeric"}
    assert sent["headers"]["Authorization"] == "Bearer link-token"


def test_linkmobility_numeric_sender_is_international():
    with fake("linkmobility") as provider:
        gateway_for("linkmobility", provider, sender="+4915199990000").send(
            NUMBER, TEXT)
        body = provider.messages[0]["body"]
    assert body["senderAddress"] == "4915199990000"
    assert body["senderAddressType"] == "international"


def test_linkmobility_basic_auth_without_a_token():
    with fake("linkmobility") as provider:
        gateway_for("linkmobility", provider, token="", username="websms-user",
                    password="pw").send(NUMBER, TEXT)
        headers = provider.messages[0]["headers"]
    assert headers["Authorization"] == basic("websms-user", "pw")


def test_linkmobility_token_wins_over_basic_auth():
    with fake("linkmobility") as provider:
        gateway_for("linkmobility", provider, username="websms-user",
                    password="pw").send(NUMBER, TEXT)
        headers = provider.messages[0]["headers"]
    assert headers["Authorization"] == "Bearer link-token"


def test_twilio_request_and_sid():
    with fake("twilio") as provider:
        assert provider.url.endswith("/Accounts/{account_sid}/Messages.json")
        assert gateway_for("twilio", provider).send(NUMBER, TEXT) == "SMfake-1"
        [sent] = provider.messages
    assert sent["path"] == "/2010-04-01/Accounts/%s/Messages.json" % TWILIO_SID
    assert sent["format"] == "form"
    assert sent["body"] == {"To": NUMBER, "From": "+4915199990000", "Body": TEXT}
    assert sent["headers"]["Authorization"] == basic(TWILIO_SID, "auth-token")


def test_twilio_messaging_service_sid_replaces_from():
    with fake("twilio") as provider:
        gateway_for("twilio", provider, sender=SERVICE_SID).send(NUMBER, TEXT)
        body = provider.messages[0]["body"]
    assert body == {"To": NUMBER, "MessagingServiceSid": SERVICE_SID, "Body": TEXT}


def test_twilio_default_address_names_the_account():
    gateway = make_gateway("twilio", **SETTINGS["twilio"])
    assert gateway.url == ("https://api.twilio.com/2010-04-01/Accounts/%s/"
                           "Messages.json" % TWILIO_SID)


def test_messagebird_request_and_id():
    with fake("messagebird") as provider:
        assert gateway_for("messagebird", provider).send(NUMBER, TEXT) == "fake-1"
        [sent] = provider.messages
    assert sent["path"] == "/messages"
    assert sent["body"] == {"originator": "PRM", "recipients": [int(NUMBER[1:])],
                            "body": TEXT}
    assert sent["headers"]["Authorization"] == "AccessKey live_key"


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_default_addresses_are_the_providers(preset):
    gateway = make_gateway(preset, **SETTINGS[preset])
    assert gateway.url.startswith("https://api.") or \
        gateway.url.startswith("https://rest.messagebird.com/")


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_a_token_of_another_preset_is_not_sent(preset):
    """Settings keep all fields; a preset sends only the credentials it uses."""
    with fake(preset) as provider:
        gateway_for(preset, provider, token=SETTINGS[preset].get("token", "old"),
                    username=SETTINGS[preset].get("username", "old-user"),
                    password=SETTINGS[preset].get("password", "old-pw")).send(
            NUMBER, TEXT)
        headers = provider.messages[0]["headers"]
    assert "old" not in headers["Authorization"]
    assert base64.b64encode(b"old-user:old-pw").decode() not in \
        headers["Authorization"]


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_every_preset_delivers_the_code(preset):
    with fake(preset) as provider:
        gateway_for(preset, provider).send(NUMBER, TEXT)
        assert provider.last_code() == CODE
        assert provider.messages[0]["to"].lstrip("+") == NUMBER[1:]


# --- provider errors --------------------------------------------------------

@pytest.mark.parametrize("preset, mode, code, message", [
    ("sipgate", "reject", "HTTP 400", "Invalid recipient \u2026"),
    ("sipgate", "auth", "HTTP 401", "Unauthorized"),
    ("sipgate", "error500", "HTTP 500", "Internal Server Error"),
    ("linkmobility", "reject", "4002", "Invalid recipient \u2026"),
    ("linkmobility", "auth", "4001", "Invalid credentials"),
    ("linkmobility", "error500", "5000", "Internal error"),
    ("twilio", "reject", "21211",
     "The 'To' number \u2026 is not a valid phone number."),
    ("twilio", "auth", "20003", "Authenticate"),
    ("twilio", "error500", "20500", "Internal Server Error"),
    ("messagebird", "reject", "9", "no (correct) recipients found (recipients)"),
    ("messagebird", "auth", "2",
     "Request not allowed (incorrect access_key) (access_key)"),
    ("messagebird", "error500", "99", "internal error"),
])
def test_provider_error_code_and_message(preset, mode, code, message):
    error = refused(preset, mode)
    assert (error.error_code, error.error_message) == (code, message)
    assert "+49 \u2022\u2022\u2022 \u2022\u2022\u2022\u2022 67 via %s" % preset \
        in error.detail
    assert "provider error %s" % code in error.detail


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_wrong_address_is_a_failure(preset):
    with fake(preset) as provider:
        gateway = gateway_for(preset, provider)
        gateway.url = provider.base_url + "/elsewhere"
        with pytest.raises(SmsDeliveryError) as caught:
            gateway.send(NUMBER, TEXT)
    assert caught.value.error_code in ("HTTP 404", "404")


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_transport_failures_keep_the_generic_codes(preset):
    with fake(preset, mode="down") as provider:
        with pytest.raises(SmsDeliveryError) as caught:
            gateway_for(preset, provider).send(NUMBER, TEXT)
    assert caught.value.error_code == "connection"
    with fake(preset, mode="slow") as provider:
        with pytest.raises(SmsDeliveryError) as caught:
            make_gateway(preset, url=provider.url, timeout=0.3,
                         **SETTINGS[preset]).send(NUMBER, TEXT)
    assert caught.value.error_code == "timeout"


def test_linkmobility_answer_without_status_code_is_a_failure():
    with fake("linkmobility") as provider:
        provider.dialect = "generic"  # answers {"status": "ok", "id": ...}
        with pytest.raises(SmsDeliveryError) as caught:
            gateway_for("linkmobility", provider).send(NUMBER, TEXT)
    assert caught.value.error_message == "no statusCode"


class Answer:
    """A provider answer for ``_parse_response`` (formats no fake mode has)."""

    def __init__(self, status_code, body, reason="Created"):
        self.status_code, self.body, self.reason = status_code, body, reason

    def json(self):
        return self.body


def test_twilio_failed_status_in_a_201_is_a_failure():
    gateway = make_gateway("twilio", **SETTINGS["twilio"])
    with pytest.raises(SmsDeliveryError) as caught:
        gateway._parse_response(Answer(201, {
            "sid": "SM1", "status": "failed", "error_code": 30007,
            "error_message": "Message filtered for %s" % NUMBER}), "masked")
    assert caught.value.error_code == "30007"
    assert caught.value.error_message == "Message filtered for \u2026"


def test_messagebird_several_errors_are_all_shown():
    gateway = make_gateway("messagebird", **SETTINGS["messagebird"])
    with pytest.raises(SmsDeliveryError) as caught:
        gateway._parse_response(Answer(422, {"errors": [
            {"code": 9, "description": "no (correct) recipients found",
             "parameter": "recipients"},
            {"code": 21, "description": "originator too long",
             "parameter": "originator"}]}, "Unprocessable Entity"), "masked")
    assert caught.value.error_code == "9,21"
    assert caught.value.error_message == (
        "no (correct) recipients found (recipients); "
        "originator too long (originator)")


# --- configuration ----------------------------------------------------------

@pytest.mark.parametrize("preset, missing", [
    ("sipgate", "username"), ("sipgate", "password"), ("sipgate", "sender"),
    ("linkmobility", "token"),
    ("twilio", "username"), ("twilio", "password"), ("twilio", "sender"),
    ("messagebird", "token"), ("messagebird", "sender"),
])
def test_a_preset_refuses_missing_settings(preset, missing):
    settings = dict(SETTINGS[preset], **{missing: ""})
    with pytest.raises(ValueError) as caught:
        make_gateway(preset, **settings)
    assert missing in str(caught.value)


def test_linkmobility_user_name_alone_is_not_enough():
    with pytest.raises(ValueError):
        make_gateway("linkmobility", username="websms-user", sender="PRM")


def test_sipgate_sender_must_be_an_sms_extension():
    with pytest.raises(ValueError):
        make_gateway("sipgate", **dict(SETTINGS["sipgate"], sender="PRM"))


def test_unknown_preset_is_refused():
    with pytest.raises(ValueError):
        make_gateway("carrier-pigeon", url="http://x")


def test_generic_stays_the_http_gateway():
    gateway = make_gateway("generic", url="http://sms.example", token="t",
                           username="", payload_format="form")
    assert type(gateway) is HttpSmsGateway
    assert (gateway.token, gateway.username, gateway.payload_format) == \
        ("t", None, "form")


def test_presets_are_registered_by_key():
    assert PRESETS == {"sipgate": SipgateGateway, "linkmobility": LinkMobilityGateway,
                       "twilio": TwilioGateway, "messagebird": MessageBirdGateway}


@pytest.mark.parametrize("raw, shown", [
    ("The 'To' number +49 151 2345 6767 is invalid",
     "The 'To' number \u2026 is invalid"),
    ("code 042917 rejected", "code \u2026 rejected"),
    ("error 4002", "error 4002"),
    ("", None),
    (None, None),
    ("x" * 300, "x" * 199 + "\u2026"),
])
def test_clean_provider_text(raw, shown):
    assert clean_provider_text(raw) == shown
