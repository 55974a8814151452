from odoo import api, fields, models, _
from odoo.exceptions import ValidationError


class PrmTerritory(models.Model):
    """A sales territory (region > area) with a manager and its dealers.

    Not a ``crm.team``: a team is a group of salespeople working one pipeline,
    flat and user-centred. A territory is a geographic, hierarchical grouping of
    *dealers* (partners) with one manager; targets and benchmarks are
    aggregated along that hierarchy. A territory can point to the crm.team that
    works its leads (``team_id``), so CRM reporting still lines up.
    """

    _name = "prm.territory"
    _inherit = ["prm.response.figures"]
    _description = "Sales territory"
    _order = "complete_name"
    _rec_name = "complete_name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    complete_name = fields.Char(
        compute="_compute_complete_name", store=True, index=True)
    parent_id = fields.Many2one(
        "prm.territory", string="Parent territory", index=True,
        ondelete="restrict")
    child_ids = fields.One2many("prm.territory", "parent_id", string="Areas")
    manager_id = fields.Many2one(
        "res.users", string="Territory manager", index=True,
        domain=[("share", "=", False)])
    team_id = fields.Many2one("crm.team", string="Sales team")
    dealer_ids = fields.One2many(
        "res.partner", "prm_territory_id", string="Dealers",
        domain=[("prm_is_dealer", "=", True)])
    dealer_count = fields.Integer(compute="_compute_dealer_count")
    active = fields.Boolean(default=True)
    # Relationship of the whole territory (its dealers and sub-areas).
    claim_open_count = fields.Integer(
        string="Open warranty claims", compute="_compute_relationship")
    lead_count = fields.Integer(
        string="Forwarded leads", compute="_compute_relationship")
    lead_open_count = fields.Integer(
        string="Leads awaiting reaction", compute="_compute_relationship")
    activity_count = fields.Integer(
        string="Open activities", compute="_compute_relationship")
    receivable_overdue = fields.Float(
        string="Overdue receivables", compute="_compute_relationship")
    revenue_target = fields.Float(
        string="Revenue target, last period", compute="_compute_relationship")
    revenue_actual = fields.Float(
        string="Revenue, last period", compute="_compute_relationship")
    revenue_attainment = fields.Float(
        string="Revenue attainment, last period (%)",
        compute="_compute_relationship")

    _sql_constraints = [
        ("code_unique", "unique(code)", "The territory code must be unique."),
    ]

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for territory in self:
            if territory.parent_id:
                territory.complete_name = "%s / %s" % (
                    territory.parent_id.complete_name, territory.name)
            else:
                territory.complete_name = territory.name

    def _compute_dealer_count(self):
        counts = self.env["res.partner"].read_group(
            [("prm_is_dealer", "=", True),
             ("prm_territory_id", "child_of", self.ids)],
            ["prm_territory_id"], ["prm_territory_id"])
        per_territory = {
            group["prm_territory_id"][0]: group["prm_territory_id_count"]
            for group in counts}
        descendants = self._descendants_map()
        for territory in self:
            territory.dealer_count = sum(
                per_territory.get(tid, 0) for tid in descendants[territory.id])

    def _compute_relationship(self):
        if not self.ids:
            return
        dealers = self.env["res.partner"].search([
            ("prm_is_dealer", "=", True), ("prm_territory_id", "child_of", self.ids)])
        figures = dealers._prm_relationship_figures()
        territory_of = {dealer.id: dealer.prm_territory_id.id for dealer in dealers}
        descendants = self._descendants_map()
        revenue = self._last_period_revenue()
        for territory in self:
            subtree = set(descendants[territory.id])
            members = [fig for pid, fig in figures.items()
                       if territory_of[pid] in subtree]

            def total(key, members=members):
                return sum(member.get(key, 0) or 0 for member in members)

            territory.claim_open_count = total("claims_open")
            territory.lead_count = total("leads")
            territory.lead_open_count = total("leads_open")
            territory.activity_count = total("activities")
            territory.receivable_overdue = total("receivable_overdue")
            figures_ = revenue.get(territory.id) or {}
            territory.revenue_target = figures_.get("target", 0.0)
            territory.revenue_actual = figures_.get("actual", 0.0)
            territory.revenue_attainment = figures_.get("attainment") or 0.0

    def _prm_routing_domain(self):
        return [("territory_id", "child_of", self.id)]

    def _compute_response_figures(self):
        """Response figures of the leads of each territory and its sub-areas.

        Percentiles cannot be added up from the areas, so each territory is
        one query over the leads of its whole subtree.
        """
        Lead = self.env["crm.lead"]
        readable = Lead.check_access_rights("read", raise_exception=False)
        for territory in self:
            stats = None
            if readable and territory.id:
                stats = Lead._prm_response_statistics(
                    [("prm_territory_id", "child_of", territory.id)]
                    + self._prm_window(), None).get(False)
            territory._prm_set_response_figures(stats)

    def _last_period_revenue(self):
        """Revenue target vs actual of the latest finished period, per territory."""
        metric = self.env.ref(
            "prm_partner_portal.metric_revenue", raise_if_not_found=False)
        Target = self.env["prm.target"]
        if not metric or not Target.check_access_rights(
                "read", raise_exception=False):
            return {}
        last = Target.search([
            ("metric_id", "=", metric.id),
            ("date_end", "<", fields.Date.context_today(self))],
            order="date_end desc", limit=1)
        if not last:
            return {}
        aggregated = Target._aggregate([
            ("metric_id", "=", metric.id),
            ("date_range_id", "=", last.date_range_id.id)])
        key = (metric.id, last.date_range_id.id)
        return {tid: values.get(key) for tid, values in
                aggregated["territories"].items()}

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if not self._check_recursion():
            raise ValidationError(_("A territory cannot be its own parent."))

    @api.model
    def create(self, vals):
        territory = super().create(vals)
        self._invalidate_rule_cache()
        return territory

    def write(self, vals):
        result = super().write(vals)
        if {"manager_id", "parent_id", "active"} & set(vals):
            self._invalidate_rule_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self._invalidate_rule_cache()
        return result

    def _invalidate_rule_cache(self):
        # Record rules evaluate ``user.prm_managed_territory_ids`` once and
        # cache the domain per user; a changed manager must show at once.
        self.env["ir.rule"].clear_caches()

    def _descendants_map(self):
        """Map each territory id of self to the ids of itself and its subtree.

        One search for the whole subtree, then the tree is walked in Python.
        """
        subtree = self.search([("id", "child_of", self.ids)])
        children = {}
        for territory in subtree:
            children.setdefault(territory.parent_id.id, []).append(territory.id)
        result = {}
        for territory in self:
            stack, seen = [territory.id], []
            while stack:
                current = stack.pop()
                seen.append(current)
                stack.extend(children.get(current, []))
            result[territory.id] = seen
        return result

    def action_view_dealers(self):
        self.ensure_one()
        action = self.env.ref("prm_partner_portal.action_prm_dealers").read()[0]
        action["domain"] = [("prm_territory_id", "child_of", self.id)]
        action["context"] = {"default_prm_territory_id": self.id}
        return action

    def action_view_targets(self):
        self.ensure_one()
        action = self.env.ref("prm_partner_portal.action_prm_target").read()[0]
        action["domain"] = [("territory_id", "child_of", self.id)]
        return action
