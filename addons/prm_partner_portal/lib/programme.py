"""Does a dealer take part in the partner programme? The one rule.

Pure Python (nothing here imports odoo). A company takes part while it is a
network dealer (``prm_is_dealer``) whose PRM status (``prm_state``) is
"active". Prospects, suspended and terminated dealers keep read access to
their own history (targets, own deal registrations, leads already
forwarded, own benchmark entries as the record rules allow) but get nothing
new from the programme: no documents or news, no new deal registration, no
user self-service changes, no forwarded leads, no dealer exchange.

Used by ``res.partner._prm_takes_part`` (and through it by the audience rule
of documents and news, deal registration and ``/my/users``); lead routing,
tier evaluation and the benchmark select the same dealers by the domain
``PARTICIPANT_DOMAIN``; the dealer exchange keeps its members by
``may_join_exchange`` (``res.partner._prm_exchange_outsiders``).
"""

from .messages import PrmError, _

#: ``prm_state`` values of a dealer that takes part.
PARTICIPATING_STATES = frozenset({"active"})
#: The same rule as a search domain on res.partner (commercial partners).
PARTICIPANT_DOMAIN = [("prm_is_dealer", "=", True),
                      ("prm_state", "in", sorted(PARTICIPATING_STATES))]


class NotInProgramme(PrmError):
    """The user's company does not take part (any longer) in the programme."""

    def __init__(self):
        super().__init__(_("Your company does not take part in the partner "
                           "programme at present, so this is not available. "
                           "Please contact head office."))


def takes_part(is_dealer, state):
    """True when a company with ``is_dealer`` (bool) and ``state`` (a
    ``prm_state`` value, str or False) takes part in the programme."""
    return bool(is_dealer) and state in PARTICIPATING_STATES


def check_takes_part(is_dealer, state):
    """Raise ``NotInProgramme`` unless ``takes_part(is_dealer, state)``."""
    if not takes_part(is_dealer, state):
        raise NotInProgramme()


def may_join_exchange(is_employee, is_dealer, state):
    """True when a contact may be a member of a dealer exchange channel.

    ``is_employee``: the contact is the partner of an internal user (head
    office, territory managers; they moderate and are not dealers);
    ``is_dealer`` and ``state``: of the contact's company (its commercial
    partner), as for ``takes_part``. Everybody else (a dealer's contact, a
    partner of another company) only while the company takes part.
    """
    return bool(is_employee) or takes_part(is_dealer, state)
