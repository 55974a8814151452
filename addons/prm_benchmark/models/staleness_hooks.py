"""Thin ORM hooks of models outside this addon for ``lib.staleness``.

Each hook only collects the facts of a change (which dealers, groups,
periods) and hands them to ``prm.benchmark.engine._mark_stale``; the map of
which change invalidates which statistics is ``lib.staleness.EDGES``.
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


class PrmTerritory(models.Model):
    _inherit = "prm.territory"

    def write(self, vals):
        result = super().write(vals)
        if set(vals) & staleness.TERRITORY_TREE_FIELDS:
            # Territory rules include sub-areas (child_of): a moved area
            # moves its dealers between the groups of the old and new tree.
            # sudo: membership is derived data, computed alike for everyone.
            groups = self.env["prm.benchmark.group"].sudo().search(
                [("territory_ids", "!=", False)])
            changed = groups._refresh_members(groups)
            if changed:
                self.env["prm.benchmark.engine"]._mark_stale(
                    "territory_tree", groups=changed)
        return result


class IrConfigParameter(models.Model):
    _inherit = "ir.config_parameter"

    @api.model
    def create(self, vals):
        record = super().create(vals)
        record._prm_benchmark_parameters_changed()
        return record

    def write(self, vals):
        touched = self._prm_benchmark_parameters()
        result = super().write(vals)
        (touched | self._prm_benchmark_parameters())._prm_benchmark_parameters_changed()
        return result

    def unlink(self):
        touched = self._prm_benchmark_parameters()
        result = super().unlink()
        if touched:
            self.env["prm.benchmark.engine"]._mark_stale("anonymity_global")
        return result

    def _prm_benchmark_parameters(self):
        return self.filtered(lambda p: (p.key or "").startswith(
            staleness.ANONYMITY_PARAMETER_PREFIX))

    def _prm_benchmark_parameters_changed(self):
        if self._prm_benchmark_parameters():
            self.env["prm.benchmark.engine"]._mark_stale("anonymity_global")
