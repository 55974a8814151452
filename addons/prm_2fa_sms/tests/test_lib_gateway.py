"""Tests for the HTTP SMS gateway against the local fake provider."""

import base64
import time

import pytest

from ..lib.errors import TwoFactorError
from ..lib.gateway import HttpSmsGateway, SmsDeliveryError
from .fake_sms_provider import FakeSmsProvider

NUMBER = "+4915123456767"
CODE = "042917"
TEXT = "Your PRM sign-in code: %s. It is valid for 5 minutes." % CODE
USER_MESSAGE = "The code could not be sent. Please try again in a moment."


@pytest.fixture(autouse=True)
def no_proxy_for_localhost(monkeypatch):
    # A proxy from the environment must not intercept calls to the fake.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
def provider():
    with FakeSmsProvider(slow_seconds=3) as running:
        yield running


def assert_safe_failure(error):
    assert isinstance(error, TwoFactorError)
    assert str(error) == USER_MESSAGE
    assert error.template == USER_MESSAGE
    assert NUMBER not in error.detail and CODE not in error.detail
    assert "67" in error.detail  # masked recipient still identifies the SMS


def test_json_payload_with_bearer_token(provider):
    gateway = HttpSmsGateway(provider.url, token="s3cret", sender="PRM")
    assert gateway.send(NUMBER, TEXT) == "fake-1"
    [message] = provider.messages
    assert (message["to"], message["from"], message["text"]) == (NUMBER, "PRM", TEXT)
    assert message["format"] == "json"
    assert message["headers"]["Authorization"] == "Bearer s3cret"


def test_form_payload_with_basic_auth(provider):
    gateway = HttpSmsGateway(
        provider.url,
        payload_format="form",
        username="prm",
        password="pw",
        sender="Shop",
    )
    gateway.send(NUMBER, TEXT)
    [message] = provider.messages
    assert (message["to"], message["from"], message["text"]) == (NUMBER, "Shop", TEXT)
    assert message["format"] == "form"
    expected = "Basic " + base64.b64encode(b"prm:pw").decode("ascii")
    assert message["headers"]["Authorization"] == expected


def test_without_credentials_no_authorization_header(provider):
    HttpSmsGateway(provider.url).send(NUMBER, TEXT)
    assert "Authorization" not in provider.messages[0]["headers"]


def test_message_id_field_is_returned(provider):
    provider.id_field = "message_id"
    assert HttpSmsGateway(provider.url).send(NUMBER, TEXT) == "fake-1"


def test_non_json_success_returns_none(provider):
    provider.id_field = None
    assert HttpSmsGateway(provider.url).send(NUMBER, TEXT) is None
    assert len(provider.messages) == 1


def test_last_code_reads_the_latest_delivered_text(provider):
    assert provider.last_code() is None
    gateway = HttpSmsGateway(provider.url)
    gateway.send(NUMBER, "Code 111111 for order 12345678")
    gateway.send(NUMBER, "Order 1234567 - your code is 222222.")
    assert provider.last_code() == "222222"


def test_http_500_fails(provider):
    provider.mode = "error500"
    with pytest.raises(SmsDeliveryError) as caught:
        HttpSmsGateway(provider.url).send(NUMBER, TEXT)
    assert_safe_failure(caught.value)
    assert "HTTP 500" in caught.value.detail
    assert len(provider.requests) == 1 and provider.messages == []


def test_rejection_in_json_body_fails(provider):
    provider.mode = "reject"
    with pytest.raises(SmsDeliveryError) as caught:
        HttpSmsGateway(provider.url, payload_format="form").send(NUMBER, TEXT)
    assert_safe_failure(caught.value)
    assert "rejected" in caught.value.detail
    assert provider.messages == []


def test_slow_provider_times_out(provider):
    provider.mode = "slow"
    started = time.monotonic()
    with pytest.raises(SmsDeliveryError) as caught:
        HttpSmsGateway(provider.url, timeout=0.3).send(NUMBER, TEXT)
    assert time.monotonic() - started < 2
    assert_safe_failure(caught.value)
    assert "no answer within 0.3s" in caught.value.detail


def test_dropped_connection_fails(provider):
    provider.mode = "down"
    with pytest.raises(SmsDeliveryError) as caught:
        HttpSmsGateway(provider.url, timeout=2).send(NUMBER, TEXT)
    assert_safe_failure(caught.value)
    assert "request failed" in caught.value.detail
    assert len(provider.requests) == 1 and provider.messages == []


def test_refused_connection_fails():
    with FakeSmsProvider() as stopped_soon:
        url = stopped_soon.url
    with pytest.raises(SmsDeliveryError) as caught:
        HttpSmsGateway(url, timeout=2).send(NUMBER, TEXT)
    assert_safe_failure(caught.value)


def test_mode_switches_at_runtime(provider):
    gateway = HttpSmsGateway(provider.url, timeout=2)
    gateway.send(NUMBER, "code 111111")
    provider.mode = "down"
    with pytest.raises(SmsDeliveryError):
        gateway.send(NUMBER, "code 222222")
    provider.mode = "ok"
    gateway.send(NUMBER, "code 333333")
    assert [m["text"] for m in provider.messages] == ["code 111111", "code 333333"]
    assert provider.last_code() == "333333"


def test_fake_refuses_unknown_mode(provider):
    with pytest.raises(ValueError):
        provider.mode = "flaky"


@pytest.mark.parametrize("kwargs", [
    {"url": ""},
    {"url": "http://sms.example", "payload_format": "xml"},
    {"url": "http://sms.example", "token": "t", "username": "u", "password": "p"},
])
def test_gateway_refuses_bad_configuration(kwargs):
    with pytest.raises(ValueError):
        HttpSmsGateway(**kwargs)
