"""Rules of a managing director's self-service on the own company's users.

Pure Python (nothing here imports odoo). The Odoo layer
(``models/prm_portal_user_admin.py``) reads the records into ``Account``
tuples and asks these functions; every refusal is a ``PrmError`` with a
translatable template.

Roles are the two portal permission classes, ``"director"`` and
``"bookkeeper"``; nothing else can be granted here.
"""

from collections import namedtuple

from .messages import PrmError, _

ROLES = ("director", "bookkeeper")

#: One user as the rules see it. ``company_id``: id of the commercial
#: partner; ``share``: a portal (not internal) user; ``role``: one of
#: ``ROLES`` or None; ``active``: bool.
Account = namedtuple("Account", "id company_id share role active")


class NotManageable(PrmError):
    """The target is none of the director's company's portal users; the web
    layer answers 404 (the user's existence is not confirmed)."""

    def __init__(self):
        super().__init__(_("This user does not exist or is not one of your "
                           "company's portal users."))


class SelfServiceLocked(PrmError):
    def __init__(self):
        super().__init__(_("Head office has locked the user self-service of "
                           "your company. Please contact head office."))


class LimitReached(PrmError):
    def __init__(self, limit):
        super().__init__(_("Your company may have at most %(limit)s active "
                           "portal users. Deactivate a user first or ask head "
                           "office to raise the limit."), limit=limit)


class OwnAccount(PrmError):
    def __init__(self):
        super().__init__(_("You cannot deactivate or re-class your own "
                           "account. Ask another managing director of your "
                           "company."))


class LastDirector(PrmError):
    def __init__(self):
        super().__init__(_("At least one active managing director must remain "
                           "in your company."))


class UnknownRole(PrmError):
    def __init__(self):
        super().__init__(_("Please choose the role: managing director or "
                           "bookkeeper."))


class MissingName(PrmError):
    def __init__(self):
        super().__init__(_("Please enter the name."))


class NameTooLong(PrmError):
    def __init__(self, maximum):
        super().__init__(_("The name is too long: at most %(max)s characters."),
                         max=maximum)


class InvalidEmail(PrmError):
    def __init__(self):
        super().__init__(_("Please enter a valid e-mail address."))


class MissingMobile(PrmError):
    def __init__(self):
        super().__init__(_("Please enter the mobile number that receives the "
                           "sign-in codes."))


class DuplicateLogin(PrmError):
    def __init__(self, login):
        super().__init__(_("A user with the e-mail address %(login)s already "
                           "exists."), login=login)


#: Longest name or e-mail accepted (nothing real comes near it).
MAX_LENGTH = 256


def effective_limit(dealer_limit, network_default):
    """The dealer's limit of active portal users (int >= 0).

    ``dealer_limit``: the dealer's own setting (int; 0 or None = use the
    network default); ``network_default``: head office's default (int or a
    text of digits; anything else counts as 0 = no new users).
    """
    if dealer_limit and dealer_limit > 0:
        return int(dealer_limit)
    try:
        return max(int(network_default), 0)
    except (TypeError, ValueError):
        return 0


def check_manageable(actor, target):
    """Raise NotManageable unless ``target`` (Account) is a portal user of
    ``actor``'s (Account) company. The director's own account is
    manageable only in the sense of being listed; see ``check_change``."""
    if target is None or not target.share or target.company_id != actor.company_id \
            or not actor.company_id:
        raise NotManageable()


def check_invite(active_count, limit, locked):
    """Raise SelfServiceLocked / LimitReached for one more active user.

    ``active_count``: active portal users of the company now (int).
    """
    if locked:
        raise SelfServiceLocked()
    if active_count >= limit:
        raise LimitReached(limit)


def check_change(actor, target, accounts, active, role, limit, locked):
    """Raise the reason why ``actor`` may not give ``target`` the state
    ``(active, role)``; return None when allowed.

    ``accounts``: every portal user of the company (Accounts, ``target``
    among them); ``active``: bool; ``role``: one of ``ROLES``; ``limit``:
    the company's effective limit. Rules, in order: the self-service is not
    locked; the target is the company's portal user; the role is a portal
    role; nobody changes his own account; a reactivation stays within the
    limit; at least one active director remains.
    """
    if locked:
        raise SelfServiceLocked()
    check_manageable(actor, target)
    if role not in ROLES:
        raise UnknownRole()
    if target.id == actor.id:
        raise OwnAccount()
    if active and not target.active:
        check_invite(sum(1 for a in accounts if a.active), limit, False)
    after = [target._replace(active=active, role=role) if a.id == target.id else a
             for a in accounts]
    if not any(a.active and a.role == "director" for a in after):
        raise LastDirector()


def clean_invitation(name, email, mobile, role):
    """``(name, login, mobile)`` of an invitation, stripped, the login in
    lower case; the mobile number is checked by the phone normaliser of the
    Odoo layer. Raises MissingName, NameTooLong, InvalidEmail,
    MissingMobile, UnknownRole."""
    name = name.strip() if isinstance(name, str) else ""
    login = email.strip().lower() if isinstance(email, str) else ""
    mobile = mobile.strip() if isinstance(mobile, str) else ""
    if not name:
        raise MissingName()
    if len(name) > MAX_LENGTH:
        raise NameTooLong(MAX_LENGTH)
    local, _at, domain = login.partition("@")
    # every label of the domain filled: "demo.example." (the fully
    # qualified form of another user's address), ".x", "a..b" are refused
    if not local or "." not in domain or len(login) > MAX_LENGTH or \
            any(char.isspace() for char in login) or "@" in domain or \
            not all(domain.split(".")):
        raise InvalidEmail()
    if not mobile:
        raise MissingMobile()
    if role not in ROLES:
        raise UnknownRole()
    return name, login, mobile
