from odoo import fields, models


class BenchmarkGroupMember(models.Model):
    """Materialised membership (dealer in group), maintained by the group."""

    _name = "prm.benchmark.group.member"
    _description = "Comparison group member"
    _log_access = False

    group_id = fields.Many2one(
        "prm.benchmark.group", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade")

    _sql_constraints = [
        ("member_unique", "unique(group_id, partner_id)",
         "A dealer is a member of a group only once."),
    ]
