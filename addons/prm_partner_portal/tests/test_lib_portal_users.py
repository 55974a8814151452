"""Rules of the director's user self-service, without the ORM (issue 22)."""
import pytest

from ..lib import portal_users as rules
from ..lib.portal_users import Account

ME = Account(1, 10, True, "director", True)
OTHER_DIRECTOR = Account(2, 10, True, "director", True)
BOOKKEEPER = Account(3, 10, True, "bookkeeper", True)
FOREIGN = Account(4, 20, True, "bookkeeper", True)
INTERNAL = Account(5, 10, False, None, True)


def change(target, accounts, active=True, role="bookkeeper", limit=10,
           locked=False):
    return rules.check_change(ME, target, accounts, active, role, limit, locked)


def test_limit_of_the_dealer_replaces_the_network_default():
    assert rules.effective_limit(3, "10") == 3
    assert rules.effective_limit(0, "10") == 10
    assert rules.effective_limit(None, 7) == 7
    assert rules.effective_limit(0, "x") == 0
    assert rules.effective_limit(0, "-4") == 0


def test_invitation_within_the_limit_and_not_locked():
    rules.check_invite(2, 3, False)
    with pytest.raises(rules.LimitReached) as error:
        rules.check_invite(3, 3, False)
    assert "at most 3 active" in str(error.value)
    with pytest.raises(rules.SelfServiceLocked):
        rules.check_invite(0, 3, True)


@pytest.mark.parametrize("target", [FOREIGN, INTERNAL, None])
def test_other_companies_and_internal_users_are_not_manageable(target):
    with pytest.raises(rules.NotManageable):
        change(target, [ME, BOOKKEEPER])


def test_own_account_is_never_changed():
    with pytest.raises(rules.OwnAccount):
        change(ME, [ME, OTHER_DIRECTOR], role="bookkeeper")
    with pytest.raises(rules.OwnAccount):
        change(ME, [ME, OTHER_DIRECTOR], active=False, role="director")


def test_one_active_director_remains():
    accounts = [ME._replace(id=9, active=False), OTHER_DIRECTOR, BOOKKEEPER]
    actor_gone = [ME, OTHER_DIRECTOR]
    # the actor counts as a director: demoting the other one is fine
    change(OTHER_DIRECTOR, actor_gone, role="bookkeeper")
    with pytest.raises(rules.LastDirector):
        rules.check_change(
            BOOKKEEPER, OTHER_DIRECTOR, accounts, True, "bookkeeper", 10, False)


def test_only_the_two_portal_roles():
    for role in ("admin", "base.group_system", None, ""):
        with pytest.raises(rules.UnknownRole):
            change(BOOKKEEPER, [ME, BOOKKEEPER], role=role)


def test_reactivation_counts_against_the_limit():
    sleeping = BOOKKEEPER._replace(active=False)
    change(sleeping, [ME, sleeping], limit=2)
    with pytest.raises(rules.LimitReached):
        change(sleeping, [ME, OTHER_DIRECTOR, sleeping], limit=2)
    # deactivation is always possible, also above the limit
    change(BOOKKEEPER, [ME, OTHER_DIRECTOR, BOOKKEEPER], active=False, limit=1)


def test_locked_refuses_every_change():
    with pytest.raises(rules.SelfServiceLocked):
        change(BOOKKEEPER, [ME, BOOKKEEPER], active=False, locked=True)


@pytest.mark.parametrize("name, email, mobile, role, error", [
    ("", "a@b.de", "0151", "bookkeeper", rules.MissingName),
    ("x" * 257, "a@b.de", "0151", "bookkeeper", rules.NameTooLong),
    ("Eva", "a@b", "0151", "bookkeeper", rules.InvalidEmail),
    ("Eva", "a b@c.de", "0151", "bookkeeper", rules.InvalidEmail),
    ("Eva", "@c.de", "0151", "bookkeeper", rules.InvalidEmail),
    ("Eva", "a@b@c.de", "0151", "bookkeeper", rules.InvalidEmail),
    # review13: the fully qualified form of another user's address
    ("Eva", "director02@demo.example.", "0151", "bookkeeper", rules.InvalidEmail),
    ("Eva", "a@.c.de", "0151", "bookkeeper", rules.InvalidEmail),
    ("Eva", "a@c..de", "0151", "bookkeeper", rules.InvalidEmail),
    ("Eva", ["a@b.de"], "0151", "bookkeeper", rules.InvalidEmail),
    ("Eva", "a@b.de", " ", "bookkeeper", rules.MissingMobile),
    ("Eva", "a@b.de", "0151", "manager", rules.UnknownRole),
])
def test_bad_invitations_are_refused(name, email, mobile, role, error):
    with pytest.raises(error):
        rules.clean_invitation(name, email, mobile, role)


def test_invitation_is_cleaned():
    assert rules.clean_invitation(" Eva ", " Eva@Dealer.Example ", " 0151 1 ",
                                  "director") == (
        "Eva", "eva@dealer.example", "0151 1")
