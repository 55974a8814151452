"""Tests for the challenge rules, with explicit clocks."""

from datetime import datetime, timedelta

import pytest

from ..lib import policy
from ..lib.errors import TwoFactorError
from ..lib.policy import ChallengePolicy, Outcome

T0 = 1700000000.0
D0 = datetime(2024, 3, 1, 12, 0, 0)


@pytest.fixture
def rules():
    return ChallengePolicy()


def challenge(created_at=T0, attempts=0, used=False):
    return {"created_at": created_at, "attempts": attempts, "used": used}


def test_defaults_match_the_agreed_limits(rules):
    assert (rules.validity_seconds, rules.max_attempts, rules.resend_cooldown_seconds,
            rules.max_sends_per_hour, rules.lockout_after_failures,
            rules.lockout_minutes) == (300, 5, 30, 5, 10, 30)


@pytest.mark.parametrize("field", [
    "validity_seconds", "max_attempts", "max_sends_per_hour",
    "lockout_after_failures", "lockout_minutes",
])
def test_limits_must_be_positive_integers(field):
    with pytest.raises(ValueError):
        ChallengePolicy(**{field: 0})
    with pytest.raises(ValueError):
        ChallengePolicy(**{field: 1.5})


# -- expiry ----------------------------------------------------------------

@pytest.mark.parametrize("elapsed, expired", [
    (0, False), (299, False), (299.999, False), (300, True), (300.001, True),
])
def test_expiry_boundary_in_epoch_seconds(rules, elapsed, expired):
    assert rules.is_expired(T0, T0 + elapsed) is expired


@pytest.mark.parametrize("elapsed, expired", [(299, False), (300, True)])
def test_expiry_boundary_with_datetimes(rules, elapsed, expired):
    assert rules.is_expired(D0, D0 + timedelta(seconds=elapsed)) is expired


def test_expires_at_keeps_the_time_type(rules):
    assert rules.expires_at(T0) == T0 + 300
    assert rules.expires_at(D0) == D0 + timedelta(minutes=5)


def test_mixing_datetimes_and_epoch_seconds_is_refused(rules):
    with pytest.raises(TypeError):
        rules.is_expired(D0, T0)


# -- attempts --------------------------------------------------------------

@pytest.mark.parametrize("attempts, left", [(0, 5), (4, 1), (5, 0), (7, 0)])
def test_attempts_left(rules, attempts, left):
    assert rules.attempts_left(attempts) == left


# -- resend cooldown -------------------------------------------------------

@pytest.mark.parametrize("elapsed, wait", [
    (0, 30), (0.5, 30), (1, 29), (29, 1), (29.9, 1), (30, 0), (31, 0),
])
def test_resend_wait_seconds(rules, elapsed, wait):
    assert rules.resend_wait_seconds(T0, T0 + elapsed) == wait


def test_first_send_needs_no_wait(rules):
    assert rules.resend_wait_seconds(None, T0) == 0


def test_send_time_in_the_future_waits_one_cooldown_at_most(rules):
    assert rules.resend_wait_seconds(T0 + 3600, T0) == 30


def test_resend_wait_with_datetimes(rules):
    assert rules.resend_wait_seconds(D0, D0 + timedelta(seconds=10)) == 20


# -- hourly send limit -----------------------------------------------------

def test_four_sends_in_the_hour_allow_a_fifth(rules):
    sends = [T0 + offset for offset in (0, 60, 120, 180)]
    assert not rules.sends_exceeded(sends, T0 + 240)


def test_five_sends_in_the_hour_block_a_sixth(rules):
    sends = [T0 + offset for offset in (0, 60, 120, 180, 240)]
    assert rules.sends_exceeded(sends, T0 + 300)


def test_hour_window_slides(rules):
    sends = [T0 + offset for offset in (0, 60, 120, 180, 240)]
    # The first send is exactly one hour old now, so it has left the window.
    assert rules.sends_exceeded(sends, T0 + 3599.999)
    assert not rules.sends_exceeded(sends, T0 + 3600)


def test_hour_window_with_datetimes(rules):
    sends = [D0 + timedelta(minutes=minute) for minute in range(5)]
    assert rules.sends_exceeded(sends, D0 + timedelta(minutes=59))
    assert not rules.sends_exceeded(sends, D0 + timedelta(minutes=60))


def test_no_sends_never_exceed(rules):
    assert not rules.sends_exceeded([], T0)


# -- lockout ---------------------------------------------------------------

@pytest.mark.parametrize(
    "failures, lock", [(0, False), (9, False), (10, True), (11, True)]
)
def test_should_lock_after_ten_failures(rules, failures, lock):
    assert rules.should_lock(failures) is lock


def test_lock_until_is_thirty_minutes_later(rules):
    assert rules.lock_until(T0) == T0 + 1800
    assert rules.lock_until(D0) == D0 + timedelta(minutes=30)


def test_is_locked_until_the_end_of_the_lockout(rules):
    until = rules.lock_until(T0)
    assert rules.is_locked(until, T0 + 1799)
    assert not rules.is_locked(until, T0 + 1800)
    assert not rules.is_locked(None, T0)


# -- evaluating a submission -----------------------------------------------

def test_right_code_is_ok_and_does_not_count(rules):
    result = rules.evaluate_attempt(challenge(attempts=2), True, T0 + 10)
    assert result == (Outcome.OK, 2)
    assert rules.error_for(result) is None


def test_wrong_code_counts_and_reports_attempts_left(rules):
    result = rules.evaluate_attempt(challenge(attempts=1), False, T0 + 10)
    assert result == (Outcome.WRONG, 2)
    error = rules.error_for(result)
    assert isinstance(error, policy.WrongCodeError)
    assert error.params == {"left": 3}
    assert str(error) == "The code is wrong. 3 attempts left."


def test_fourth_wrong_code_leaves_one_attempt(rules):
    result = rules.evaluate_attempt(challenge(attempts=3), False, T0)
    assert result == (Outcome.WRONG, 4)
    assert rules.error_for(result).params == {"left": 1}


def test_fifth_wrong_code_uses_up_the_challenge(rules):
    result = rules.evaluate_attempt(challenge(attempts=4), False, T0)
    assert result == (Outcome.TOO_MANY_ATTEMPTS, 5)
    assert isinstance(rules.error_for(result), policy.TooManyAttemptsError)


def test_right_code_after_five_wrong_ones_is_refused(rules):
    result = rules.evaluate_attempt(challenge(attempts=5), True, T0)
    assert result == (Outcome.TOO_MANY_ATTEMPTS, 5)


def test_code_at_exactly_300_seconds_is_expired(rules):
    assert rules.evaluate_attempt(challenge(), True, T0 + 299.9).outcome == Outcome.OK
    result = rules.evaluate_attempt(challenge(attempts=1), True, T0 + 300)
    assert result == (Outcome.EXPIRED, 1)
    assert isinstance(rules.error_for(result), policy.CodeExpiredError)


def test_expired_wrong_code_does_not_count(rules):
    assert rules.evaluate_attempt(challenge(), False, T0 + 301) == (Outcome.EXPIRED, 0)


def test_used_code_is_refused_even_when_right(rules):
    result = rules.evaluate_attempt(challenge(used=True), True, T0 + 10)
    assert result == (Outcome.USED, 0)
    assert isinstance(rules.error_for(result), policy.CodeUsedError)


def test_used_wins_over_expired(rules):
    result = rules.evaluate_attempt(challenge(used=True), True, T0 + 1000)
    assert result.outcome == Outcome.USED


def test_evaluate_accepts_datetimes_and_missing_fields(rules):
    state = {"created_at": D0}
    result = rules.evaluate_attempt(state, False, D0 + timedelta(seconds=5))
    assert result == (Outcome.WRONG, 1)


def test_every_outcome_except_ok_has_a_message(rules):
    for outcome in Outcome.ALL:
        error = rules.error_for(policy.AttemptResult(outcome, 1))
        if outcome == Outcome.OK:
            assert error is None
        else:
            assert isinstance(error, TwoFactorError)
            assert str(error)


# -- messages --------------------------------------------------------------

@pytest.mark.parametrize("error, template, text", [
    (policy.WrongCodeError(left=2),
     "The code is wrong. %(left)s attempts left.",
     "The code is wrong. 2 attempts left."),
    (policy.CodeExpiredError(),
     "The code has expired. Request a new one.",
     "The code has expired. Request a new one."),
    (policy.CodeUsedError(),
     "This code was already used. Request a new one.",
     "This code was already used. Request a new one."),
    (policy.AccountLockedError(until="14:30"),
     "Too many wrong codes. Sign-in with a code is locked until %(until)s. "
     "Head office has been informed.",
     "Too many wrong codes. Sign-in with a code is locked until 14:30. "
     "Head office has been informed."),
    (policy.ResendCooldownError(seconds=12),
     "Please wait %(seconds)s seconds before requesting a new code.",
     "Please wait 12 seconds before requesting a new code."),
    (policy.SendLimitError(),
     "Too many codes requested. Try again later.",
     "Too many codes requested. Try again later."),
    (policy.NoMobileNumberError(),
     "Your account has no validated mobile number. "
     "Please contact head office to register one.",
     "Your account has no validated mobile number. "
     "Please contact head office to register one."),
])
def test_messages_keep_template_and_params_apart(error, template, text):
    assert isinstance(error, TwoFactorError)
    assert error.template == template
    assert str(error) == text
    assert error.template % error.params == text
