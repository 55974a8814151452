"""Issue 21, real SMS gateways: sign-in with a code sent through each provider
preset to a local fake that speaks that provider's API (real server, HTTP)."""
import pytest

from .odoo_server import csrf_token
from .test_2fa import (USER, events, fake_sms_provider, reset, signed_in,
                       start_login, submit_code)

PRESET_PARAMS = fake_sms_provider.PRESET_PARAMS

NUMBER = "+4915110000010"  # director05's demo number
CLEARED = {"http_token": "", "http_username": "", "http_password": ""}


@pytest.fixture
def preset_provider(odoo_server, request):
    """A fake speaking ``request.param``'s API; the server sends through the
    preset of that provider."""
    preset = request.param
    with fake_sms_provider.FakeSmsProvider(dialect=preset) as fake:
        values = dict(CLEARED, provider="http", http_preset=preset,
                      http_url=fake.url, http_timeout="2")
        values.update(PRESET_PARAMS[preset])
        previous = odoo_server.set_2fa_params(**values)
        reset(odoo_server, USER)
        yield fake
        odoo_server.set_2fa_params(**previous)
        reset(odoo_server, USER)


@pytest.mark.parametrize("preset_provider", sorted(PRESET_PARAMS),
                         indirect=True)
def test_sign_in_with_a_code_sent_through_the_preset(odoo_server, preset_provider):
    session, page = start_login(odoo_server)
    assert page.url.endswith("/web/login/2fa")
    [sent] = preset_provider.messages
    assert sent["to"].lstrip("+") == NUMBER[1:]
    assert "Authorization" in sent["headers"]
    done = submit_code(odoo_server, session, page, preset_provider.last_code())
    assert done.url.endswith("/my")
    assert signed_in(odoo_server, session)


@pytest.mark.expected_log(r"WARNING .*prm_2fa_service: SMS code for user \d+ not sent")
@pytest.mark.parametrize("preset_provider", ["twilio"], indirect=True)
def test_a_refusal_is_shown_to_admins_with_the_provider_code(
        odoo_server, preset_provider):
    preset_provider.mode = "reject"
    session, page = start_login(odoo_server)
    assert ("Der Code konnte nicht gesendet werden. "
            "Bitte versuchen Sie es gleich noch einmal.") in page.text
    assert "21211" not in page.text
    [event] = odoo_server.execute(
        "admin", None, "prm.2fa.event", "search_read",
        [("user_id.login", "=", USER), ("event", "=", "send_failed")],
        fields=["sms_provider", "sms_error_code", "sms_error_message", "detail"],
        limit=1, order="id desc")
    assert (event["sms_provider"], event["sms_error_code"]) == ("twilio", "21211")
    assert event["sms_error_message"] == \
        "The 'To' number \u2026 is not a valid phone number."
    assert NUMBER[1:] not in event["detail"]
    with open(odoo_server.log_path) as handle:
        log = handle.read()
    assert NUMBER[1:] not in log
    assert "provider error 21211" in log
    # The provider is back: the user asks for a new code and signs in.
    failed = events(odoo_server, USER, "send_failed")
    preset_provider.mode = "ok"
    page = session.post(odoo_server.url + "/web/login/2fa/resend", data={
        "csrf_token": csrf_token(page.text)})
    done = submit_code(odoo_server, session, page, preset_provider.last_code())
    assert done.url.endswith("/my")
    assert events(odoo_server, USER, "send_failed") == failed
