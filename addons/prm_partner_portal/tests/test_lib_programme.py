"""The one rule "the dealer takes part in the partner programme" (lib)."""
import pytest

from ..lib import programme


@pytest.mark.parametrize("is_dealer, state, expected", [
    (True, "active", True),
    (True, "prospect", False),
    (True, "suspended", False),
    (True, "terminated", False),
    (True, False, False),
    (False, "active", False),
    (None, "active", False),
])
def test_takes_part(is_dealer, state, expected):
    assert programme.takes_part(is_dealer, state) is expected


def test_check_takes_part_refuses_with_the_translatable_message():
    programme.check_takes_part(True, "active")
    with pytest.raises(programme.NotInProgramme) as raised:
        programme.check_takes_part(True, "terminated")
    assert "does not take part in the partner programme" in str(raised.value)


def test_domain_is_the_same_rule():
    assert programme.PARTICIPANT_DOMAIN == [
        ("prm_is_dealer", "=", True), ("prm_state", "in", ["active"])]


@pytest.mark.parametrize("is_employee, is_dealer, state, expected", [
    (False, True, "active", True),
    (False, True, "prospect", False),
    (False, True, "suspended", False),
    (False, True, "terminated", False),
    (False, False, "active", False),
    (True, False, "prospect", True),
    (True, True, "terminated", True),
])
def test_may_join_exchange(is_employee, is_dealer, state, expected):
    assert programme.may_join_exchange(is_employee, is_dealer, state) is expected
