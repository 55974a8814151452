"""Thin ORM hook of ``res.partner`` for ``lib.staleness``: dealers created,
changed (rule fields) or deleted move between comparison groups.

Each staleness hook (also ``prm_territory_staleness``,
``ir_config_parameter_staleness``) only collects the facts of a change
(which dealers, groups, periods) and hands them to
``prm.benchmark.engine._mark_stale``; the map of which change invalidates
which statistics is ``lib.staleness.EDGES``.
"""
from odoo import api, models

from ..lib import staleness


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _prm_benchmark_dealers(self):
        return self.filtered(lambda p: p.prm_is_dealer and p.is_company)

    @api.model
    def create(self, vals):
        partner = super().create(vals)
        if partner.prm_is_dealer:
            self._prm_benchmark_memberships(partner, "dealer_created")
        return partner

    def write(self, vals):
        watched = set(vals) & staleness.DEALER_RULE_FIELDS
        dealers = self._prm_benchmark_dealers() if watched else self.browse()
        result = super().write(vals)
        if watched:
            # a dealer flag switched on makes a dealer of a partner
            self._prm_benchmark_memberships(
                dealers | self._prm_benchmark_dealers(), "dealer_attributes")
        return result

    def unlink(self):
        dealers = self._prm_benchmark_dealers()
        engine = self.env["prm.benchmark.engine"]
        groups = engine._dealer_group_ids(dealers)
        result = super().unlink()
        if groups:
            # memberships and entries went with the dealer (cascade)
            self.env["prm.benchmark.group"]._membership_changed()
            engine._mark_stale("dealer_deleted", dealer_group_ids=groups)
        return result

    @api.model
    def _prm_benchmark_memberships(self, dealers, change):
        """Move ``dealers`` between rule-based groups now; mark what moved."""
        if not dealers:
            return
        changed = self.env["prm.benchmark.group"]._refresh_members_of(dealers)
        if changed:
            self.env["prm.benchmark.engine"]._mark_stale(
                change, dealer_group_ids=changed.ids)
