"""Thin ORM hook of ``prm.territory`` for ``lib.staleness``: a moved area
moves its dealers between groups (how hooks work: ``res_partner_staleness``).
"""
from odoo import models

from ..lib import staleness


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
