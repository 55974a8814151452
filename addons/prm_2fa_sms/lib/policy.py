"""Challenge rules: validity, attempts, resend throttling and lockout.

Every decision takes ``now`` explicitly, either as a ``datetime`` or as epoch
seconds (int/float); the two kinds must not be mixed in one call. Odoo stores
naive UTC datetimes, which compare fine with a naive UTC ``now``.

Only delivered codes count: the caller creates a challenge (and records a
send time) only after the gateway accepted the message. A failed send leaves
no challenge behind, so it consumes neither attempts nor the hourly quota.
"""

import math
from collections import namedtuple
from datetime import datetime, timedelta

from .errors import TwoFactorError, _

SECONDS_PER_HOUR = 3600

# The smallest value of each numeric 2FA setting; 0 means "off" where it is
# allowed (no resend cooldown, no trusted devices, no cooling-off). The
# settings form and ChallengePolicy both check against this table.
SETTING_MINIMUMS = {
    "validity_seconds": 1,
    "max_attempts": 1,
    "resend_cooldown_seconds": 0,
    "max_sends_per_hour": 1,
    "lockout_after_failures": 1,
    "lockout_minutes": 1,
    "http_timeout": 1,
    "trust_days": 0,
    "cooling_off_hours": 0,
}


class Outcome:
    """Results of submitting a code against a challenge."""

    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    USED = "used"
    TOO_MANY_ATTEMPTS = "too_many_attempts"
    ALL = (OK, WRONG, EXPIRED, USED, TOO_MANY_ATTEMPTS)


AttemptResult = namedtuple("AttemptResult", ["outcome", "attempts"])
AttemptResult.__doc__ = "Outcome of one submission and the new attempts count."


class WrongCodeError(TwoFactorError):
    template = _("The code is wrong. %(left)s attempts left.")

    def __init__(self, left):
        super().__init__(left=left)


class CodeExpiredError(TwoFactorError):
    template = _("The code has expired. Request a new one.")


class CodeUsedError(TwoFactorError):
    template = _("This code was already used. Request a new one.")


class TooManyAttemptsError(TwoFactorError):
    template = _("Too many wrong codes. Request a new one.")


class AccountLockedError(TwoFactorError):
    """``until`` is shown as given; the caller formats it for the user."""

    template = _(
        "Too many wrong codes. Sign-in with a code is locked until %(until)s. "
        "Head office has been informed."
    )

    def __init__(self, until):
        super().__init__(until=until)


class ResendCooldownError(TwoFactorError):
    template = _("Please wait %(seconds)s seconds before requesting a new code.")

    def __init__(self, seconds):
        super().__init__(seconds=seconds)


class SendLimitError(TwoFactorError):
    template = _("Too many codes requested. Try again later.")


class NoMobileNumberError(TwoFactorError):
    template = _(
        "Your account has no validated mobile number. "
        "Please contact head office to register one."
    )


def _elapsed_seconds(since, now):
    since_is_datetime = isinstance(since, datetime)
    if since_is_datetime != isinstance(now, datetime):
        raise TypeError("do not mix datetimes and epoch seconds")
    if since_is_datetime:
        return (now - since).total_seconds()
    return float(now) - float(since)


def _add_seconds(moment, seconds):
    if isinstance(moment, datetime):
        return moment + timedelta(seconds=seconds)
    return moment + seconds


def _require_int(name, value):
    minimum = SETTING_MINIMUMS[name]
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ValueError("%s must be an integer >= %s" % (name, minimum))


class ChallengePolicy:
    """Limits for codes, resends and lockout; all decisions are pure."""

    def __init__(
        self,
        validity_seconds=300,
        max_attempts=5,
        resend_cooldown_seconds=30,
        max_sends_per_hour=5,
        lockout_after_failures=10,
        lockout_minutes=30,
    ):
        _require_int("validity_seconds", validity_seconds)
        _require_int("max_attempts", max_attempts)
        _require_int("resend_cooldown_seconds", resend_cooldown_seconds)
        _require_int("max_sends_per_hour", max_sends_per_hour)
        _require_int("lockout_after_failures", lockout_after_failures)
        _require_int("lockout_minutes", lockout_minutes)
        self.validity_seconds = validity_seconds
        self.max_attempts = max_attempts
        self.resend_cooldown_seconds = resend_cooldown_seconds
        self.max_sends_per_hour = max_sends_per_hour
        self.lockout_after_failures = lockout_after_failures
        self.lockout_minutes = lockout_minutes

    def expires_at(self, created_at):
        """Moment from which a code created at ``created_at`` is expired."""
        return _add_seconds(created_at, self.validity_seconds)

    def is_expired(self, created_at, now):
        """True once ``validity_seconds`` have passed (exactly then, too)."""
        return _elapsed_seconds(created_at, now) >= self.validity_seconds

    def attempts_left(self, attempts):
        """Wrong submissions still allowed after ``attempts`` wrong ones."""
        return max(0, self.max_attempts - attempts)

    def resend_wait_seconds(self, last_sent_at, now):
        """Whole seconds to wait before another send; 0 when allowed."""
        if last_sent_at is None:
            return 0
        remaining = self.resend_cooldown_seconds - _elapsed_seconds(last_sent_at, now)
        # A send time in the future (clock skew) must not block for longer
        # than one cooldown.
        remaining = min(remaining, self.resend_cooldown_seconds)
        return max(0, int(math.ceil(remaining)))

    def sends_exceeded(self, send_times, now):
        """True when another send now would exceed the hourly limit.

        The window slides: a send exactly one hour old no longer counts.
        """
        recent = sum(
            1
            for sent_at in send_times
            if _elapsed_seconds(sent_at, now) < SECONDS_PER_HOUR
        )
        return recent >= self.max_sends_per_hour

    def should_lock(self, recent_failures_count):
        """True when the failures warrant locking sign-in with a code.

        Which failures are recent (e.g. since the last successful sign-in)
        is the caller's choice.
        """
        return recent_failures_count >= self.lockout_after_failures

    def lock_until(self, now):
        """End of a lockout that starts at ``now``."""
        return _add_seconds(now, self.lockout_minutes * 60)

    def is_locked(self, locked_until, now):
        """True while ``now`` is before ``locked_until`` (None: not locked)."""
        if locked_until is None:
            return False
        return _elapsed_seconds(now, locked_until) > 0

    def evaluate_attempt(self, challenge, code_matches, now):
        """Judge one submission; return ``AttemptResult(outcome, attempts)``.

        ``challenge`` is a dict with ``created_at``, ``attempts`` (wrong
        submissions so far) and ``used``; ``code_matches`` is the result of
        ``otp.verify_code``. Only a wrong code on a live challenge increments
        the count; the wrong code that uses up the last attempt reports
        ``too_many_attempts``. After ``ok`` the caller marks the challenge used.
        """
        attempts = challenge.get("attempts") or 0
        if challenge.get("used"):
            return AttemptResult(Outcome.USED, attempts)
        if self.is_expired(challenge["created_at"], now):
            return AttemptResult(Outcome.EXPIRED, attempts)
        if self.attempts_left(attempts) == 0:
            return AttemptResult(Outcome.TOO_MANY_ATTEMPTS, attempts)
        if code_matches:
            return AttemptResult(Outcome.OK, attempts)
        attempts += 1
        if self.attempts_left(attempts) == 0:
            return AttemptResult(Outcome.TOO_MANY_ATTEMPTS, attempts)
        return AttemptResult(Outcome.WRONG, attempts)

    def error_for(self, result):
        """User-facing error for an ``AttemptResult``; None for ``ok``."""
        if result.outcome == Outcome.OK:
            return None
        if result.outcome == Outcome.WRONG:
            return WrongCodeError(left=self.attempts_left(result.attempts))
        errors = {
            Outcome.EXPIRED: CodeExpiredError,
            Outcome.USED: CodeUsedError,
            Outcome.TOO_MANY_ATTEMPTS: TooManyAttemptsError,
        }
        return errors[result.outcome]()
