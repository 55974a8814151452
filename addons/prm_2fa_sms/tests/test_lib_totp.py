"""Authenticator codes, recovery codes, secret encryption, method rules."""
import base64

import pyotp
import pytest

from odoo.addons.prm_2fa_sms.lib import methods, recovery, secret_box, totp
from odoo.addons.prm_2fa_sms.lib.methods import Plan

NOW = 1764500000  # epoch seconds


def test_new_secret_is_base32_of_160_bits():
    secret = totp.new_secret()
    assert len(secret) == 32 and len(base64.b32decode(secret)) == 20
    assert secret != totp.new_secret()


def test_rfc6238_reference_value():
    # RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (8 digits) -> 287082
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp.code_at(secret, totp.time_step(59)) == "287082"


def test_code_of_now_and_one_step_around_is_accepted():
    secret = totp.new_secret()
    step = totp.time_step(NOW)
    for offset in (-1, 0, 1):
        code = totp.code_at(secret, step + offset)
        assert totp.check_code(secret, code, NOW) == (totp.Check.OK, step + offset)


def test_code_two_steps_away_is_wrong():
    secret = totp.new_secret()
    step = totp.time_step(NOW)
    for offset in (-2, 2):
        code = totp.code_at(secret, step + offset)
        window = {totp.code_at(secret, step + i) for i in (-1, 0, 1)}
        if code not in window:
            assert totp.check_code(secret, code, NOW) == (totp.Check.WRONG, None)


def test_used_step_is_refused_as_reuse():
    secret = totp.new_secret()
    step = totp.time_step(NOW)
    code = totp.code_at(secret, step)
    assert totp.check_code(secret, code, NOW, last_step=step) == \
        (totp.Check.REUSED, step)
    older = totp.code_at(secret, step - 1)
    if older != code:
        assert totp.check_code(secret, older, NOW, last_step=step)[0] == \
            totp.Check.REUSED
    newer = totp.code_at(secret, step + 1)
    if newer != code:
        assert totp.check_code(secret, newer, NOW, last_step=step) == \
            (totp.Check.OK, step + 1)


@pytest.mark.parametrize("bad", [None, "", "12345", "1234567", "abcdef", "12 34 5x",
                                 "١٢٣٤٥٦", 123456, "1" * 100])
def test_bad_input_is_wrong_never_an_error(bad):
    assert totp.check_code(totp.new_secret(), bad, NOW) == (totp.Check.WRONG, None)


def test_separators_are_allowed():
    secret = totp.new_secret()
    code = totp.code_at(secret, totp.time_step(NOW))
    assert totp.check_code(secret, code[:3] + " " + code[3:], NOW)[0] == \
        totp.Check.OK


def test_provisioning_uri_is_read_by_pyotp():
    secret = totp.new_secret()
    uri = totp.provisioning_uri(secret, "director@dealer.example", "PRM Portal")
    assert uri.startswith("otpauth://totp/PRM%20Portal:director%40dealer.example")
    parsed = pyotp.parse_uri(uri)
    assert parsed.secret == secret and parsed.interval == 30 and parsed.digits == 6


def test_qr_code_is_an_svg_data_uri():
    uri = totp.qr_data_uri("otpauth://totp/x?secret=ABC")
    assert uri.startswith("data:image/svg+xml;base64,")
    assert b"<svg" in base64.b64decode(uri.split(",", 1)[1])


def test_grouped_key():
    assert totp.grouped_key("ABCDEFGHIJ") == "ABCD EFGH IJ"


# --- recovery codes ----------------------------------------------------------

def test_ten_distinct_readable_codes():
    codes = recovery.generate_codes()
    assert len(codes) == 10 and len(set(codes)) == 10
    for code in codes:
        assert len(code) == 11 and code[5] == "-"
        assert not set(code.replace("-", "")) & set("ilo01")


def test_code_matches_its_hash_only_once_per_list():
    codes = recovery.generate_codes(3)
    stored = [recovery.hash_code(code) for code in codes]
    assert codes[1] not in "".join(stored), "hashes, not codes"
    assert recovery.find_match(codes[1], stored) == 1
    assert recovery.find_match(codes[1].upper().replace("-", " "), stored) == 1
    assert recovery.find_match(codes[1], stored[:1] + stored[2:]) is None


@pytest.mark.parametrize("bad", [None, "", "abcde-fghj", "abcde-fghjk-m",
                                 "abcde-fghj1", 12345, "a" * 200])
def test_malformed_recovery_code_matches_nothing(bad):
    stored = [recovery.hash_code(code) for code in recovery.generate_codes(2)]
    assert recovery.find_match(bad, stored) is None


def test_hashing_a_malformed_code_raises():
    with pytest.raises(ValueError):
        recovery.hash_code("nope")


# --- secret encryption -------------------------------------------------------

KEY = "k" * 40


def test_secret_round_trip_and_ciphertext_hides_it():
    stored = secret_box.encrypt(KEY, "JBSWY3DPEHPK3PXP")
    assert "JBSWY3DPEHPK3PXP" not in stored
    assert secret_box.decrypt(KEY, stored) == "JBSWY3DPEHPK3PXP"


def test_other_key_or_altered_text_gives_none():
    stored = secret_box.encrypt(KEY, "JBSWY3DPEHPK3PXP")
    assert secret_box.decrypt("x" * 40, stored) is None
    assert secret_box.decrypt(KEY, stored[:-4] + "AAAA") is None
    assert secret_box.decrypt(KEY, "not a token") is None


@pytest.mark.parametrize("key", [None, "", "short", False])
def test_missing_key_is_refused(key):
    with pytest.raises(secret_box.NoKeyError):
        secret_box.encrypt(key, "JBSWY3DPEHPK3PXP")


# --- method rules per group --------------------------------------------------

def test_rule_for_internal_and_portal_users():
    assert methods.rule_for(False, "totp", "sms_or_totp") == "totp"
    assert methods.rule_for(True, "totp", "sms_or_totp") == "sms_or_totp"
    assert methods.rule_for(True, "totp", "bogus") == methods.DEFAULT_RULE


@pytest.mark.parametrize("rule, number, has_totp, plan", [
    ("sms_or_totp", True, True, Plan(("totp", "sms"), False)),
    ("sms_or_totp", True, False, Plan(("sms",), False)),
    ("sms_or_totp", False, True, Plan(("totp",), False)),
    ("sms_or_totp", False, False, Plan(("sms",), False)),
    ("totp", True, True, Plan(("totp",), False)),
    ("totp", True, False, Plan(("sms",), True)),
    ("totp", False, False, Plan((), True)),
    ("sms", True, True, Plan(("sms",), False)),
    ("sms", False, False, Plan(("sms",), False)),
])
def test_sign_in_plan(rule, number, has_totp, plan):
    assert methods.sign_in_plan(rule, number, has_totp) == plan


def test_authenticator_is_the_default_and_sms_only_when_chosen():
    plan = methods.sign_in_plan("sms_or_totp", True, True)
    assert methods.choose(plan, None) == "totp"
    assert methods.choose(plan, "sms") == "sms"
    assert methods.choose(plan, "bogus") == "totp"
    assert methods.choose(Plan((), True), "sms") is None


def test_enrol_and_remove_rules():
    assert methods.may_enrol_totp("totp") and methods.may_enrol_totp("sms_or_totp")
    assert not methods.may_enrol_totp("sms")
    methods.check_remove_totp("sms_or_totp")
    with pytest.raises(methods.TotpRequiredError):
        methods.check_remove_totp("totp")
