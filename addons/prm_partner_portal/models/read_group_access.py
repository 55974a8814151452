"""``read_group`` asks the same access checks as ``search``.

Odoo 11's ``read_group`` applies the access rights and the record rules
only; checks a model makes in ``_search`` are skipped there (core:
``mail.message`` — messages of documents the reader may not read, other
people's channels —, ``ir.attachment`` — attachments of records the
reader may not read —, ``res.users`` — searching on password fields —;
ours: the chatter scope of ``mail.activity`` and the dealer exchange of
``mail.message``). A grouping on ``body`` or ``name`` then lists the
texts themselves (review10 F1–F3). Models with such a ``_search`` call
``search_domain`` from their ``read_group``.
"""
from odoo import SUPERUSER_ID


def search_domain(model, domain):
    """``domain`` limited to the records ``model._search(domain)`` gives
    the current user (all checks of the model's ``_search``; raises what
    it raises, e.g. AccessError for a password field of ``res.users``).
    The superuser's domain is returned as it is."""
    if model.env.uid == SUPERUSER_ID:
        return domain
    return [("id", "in", model._search(list(domain or [])))]
