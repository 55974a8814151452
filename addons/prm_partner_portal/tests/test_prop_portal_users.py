"""Property test of the self-service rules over every combination of role,
company, active flag and actor (issue 22)."""
from hypothesis import given, strategies as st

from ..lib import portal_users as rules
from ..lib.portal_users import Account

ACCOUNTS = st.builds(
    Account, id=st.integers(1, 6), company_id=st.sampled_from([10, 20]),
    share=st.booleans(), role=st.sampled_from(["director", "bookkeeper", None]),
    active=st.booleans())


@given(st.lists(ACCOUNTS, min_size=1, max_size=6, unique_by=lambda a: a.id),
       st.integers(0, 5), st.booleans(), st.sampled_from(rules.ROLES + ("x",)),
       st.integers(0, 6), st.booleans())
def test_an_allowed_change_keeps_every_guard_rail(
        accounts, target_index, active, role, limit, locked):
    actor = accounts[0]._replace(company_id=10, share=True, role="director",
                                 active=True)
    accounts = [actor] + accounts[1:]
    target = accounts[target_index % len(accounts)]
    company = [a for a in accounts if a.company_id == 10 and a.share]
    try:
        rules.check_change(actor, target, company, active, role, limit, locked)
    except rules.PrmError:
        return
    assert not locked
    assert target.share and target.company_id == actor.company_id
    assert target.id != actor.id
    assert role in rules.ROLES
    after = [target._replace(active=active, role=role) if a.id == target.id
             else a for a in company]
    assert any(a.active and a.role == "director" for a in after)
    if active and not target.active:
        assert sum(a.active for a in company) < limit
