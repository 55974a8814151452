from odoo import api, fields, models

from ..lib import staleness


class BenchmarkGroup(models.Model):
    """A comparison group: rule-based (territory, tier, size, region, category)
    or an explicit list of dealers.

    Members are materialised in ``prm.benchmark.group.member`` so the
    statistics of all groups come out of one SQL aggregate.
    """

    _name = "prm.benchmark.group"
    _description = "Comparison group"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    kind = fields.Selection([
        ("rule", "Rule-based"), ("explicit", "Explicit members"),
    ], required=True, default="rule")
    is_network = fields.Boolean(
        string="Whole network", help="All active dealers; the default group.")
    territory_ids = fields.Many2many(
        "prm.territory", string="Territories (with sub-areas)")
    tier_ids = fields.Many2many("prm.tier", string="Tiers")
    size_class = fields.Selection([
        ("small", "Small (< 10 employees)"),
        ("medium", "Medium (10–49 employees)"),
        ("large", "Large (50+ employees)"),
    ])
    state_ids = fields.Many2many("res.country.state", string="Regions")
    revenue_min = fields.Float(
        string="Annual revenue from",
        help="Revenue band: total revenue of the dealer's last four submitted "
             "quarters (0 = no lower bound).")
    revenue_max = fields.Float(string="Annual revenue up to",
                               help="0 = no upper bound.")
    category_ids = fields.Many2many("res.partner.category", string="Partner tags")
    explicit_partner_ids = fields.Many2many(
        "res.partner", "prm_benchmark_group_explicit_rel", "group_id", "partner_id",
        string="Dealers", domain=[("prm_is_dealer", "=", True)])
    min_group_size = fields.Integer(
        string="Minimum group size (k)", default=5,
        help="Below this many dealers with a value no statistic is shown.")
    disclosure_p = fields.Float(
        string="Protection margin p (%)", default=10.0,
        help="The p % rule: no dealer may be able to compute another dealer's "
             "value from what the analysis shows, nor narrow the largest or "
             "smallest value of the group down to within ± p %. Numbers that "
             "would allow it are withheld to protect other firms.")
    member_ids = fields.One2many(
        "prm.benchmark.group.member", "group_id", readonly=True)
    member_count = fields.Integer(compute="_compute_member_count")
    active = fields.Boolean(default=True)

    def _compute_member_count(self):
        # sudo: only the number of members per group is returned; a territory
        # manager reads the members of the own region only (record rule)
        groups = self.env["prm.benchmark.group.member"].sudo().read_group(
            [("group_id", "in", self.ids)], ["group_id"], ["group_id"])
        counts = {g["group_id"][0]: g["group_id_count"] for g in groups}
        for group in self:
            group.member_count = counts.get(group.id, 0)

    def _member_domain(self, partner_ids=None):
        """Domain of the group's members (``partner_ids``: only among these,
        which spares the revenue-band query the other dealers)."""
        self.ensure_one()
        domain = [("prm_is_dealer", "=", True), ("prm_state", "=", "active")]
        if self.kind == "explicit":
            return domain + [("id", "in", self.explicit_partner_ids.ids)]
        if self.is_network:
            return domain
        if self.territory_ids:
            domain.append(("prm_territory_id", "child_of", self.territory_ids.ids))
        if self.tier_ids:
            domain.append(("prm_tier_id", "in", self.tier_ids.ids))
        if self.size_class:
            domain.append(("prm_size_class", "=", self.size_class))
        if self.state_ids:
            domain.append(("state_id", "in", self.state_ids.ids))
        if self.category_ids:
            domain.append(("category_id", "in", self.category_ids.ids))
        if self.revenue_min or self.revenue_max:
            domain.append(("id", "in", self._revenue_band_partner_ids(partner_ids)))
        return domain

    def _revenue_band_partner_ids(self, partner_ids=None):
        """Dealers whose trailing annual revenue lies in the group's band.

        ``partner_ids``: only among these (all dealers when None).

        Trailing annual revenue = sum of the ``rev_total`` KPI over the
        dealer's last four submitted quarterly entries (one query).
        """
        self.env.cr.execute("""
            SELECT partner_id FROM (
                SELECT kv.partner_id, kv.value,
                       ROW_NUMBER() OVER (PARTITION BY kv.partner_id
                                          ORDER BY kv.period_start DESC) AS age
                  FROM prm_benchmark_kpi_value kv
                  JOIN prm_benchmark_kpi k ON k.id = kv.kpi_id
                                          AND k.code = 'rev_total'
                  JOIN prm_benchmark_entry e ON e.id = kv.entry_id
                                            AND e.state IN ('submitted', 'checked')
                  JOIN prm_benchmark_period p ON p.id = kv.period_id
                                             AND p.kind = 'quarter'
                 WHERE %s OR kv.partner_id = ANY(%s)
            ) recent
             WHERE age <= 4
          GROUP BY partner_id
            HAVING SUM(value) >= %s AND (%s = 0 OR SUM(value) <= %s)
        """, [partner_ids is None, list(partner_ids or []),
              self.revenue_min or 0.0, self.revenue_max or 0.0,
              self.revenue_max or 0.0])
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _refresh_members(self, groups=None):
        """Recompute the member table of ``groups`` (all when None).

        Returns the groups whose members changed. Only changed groups are
        rewritten; any change advances the member id sequence, which is
        part of the statistics stamp (cached group data must follow).
        """
        groups = groups if groups is not None else self.with_context(
            active_test=False).search([])
        # sudo: membership is not a user-visible read; every group's members
        # are computed the same way whoever triggers the refresh.
        Partner = self.env["res.partner"].sudo()
        cr = self.env.cr
        changed = self.browse()
        for group in groups:
            member_ids = set(Partner.search(group._member_domain()).ids
                             if group.active else [])
            cr.execute("SELECT partner_id FROM prm_benchmark_group_member "
                       "WHERE group_id = %s", [group.id])
            if {row[0] for row in cr.fetchall()} == member_ids:
                continue
            changed |= group
            cr.execute("DELETE FROM prm_benchmark_group_member WHERE group_id = %s",
                       [group.id])
            if member_ids:
                cr.execute("""
                    INSERT INTO prm_benchmark_group_member (group_id, partner_id)
                    SELECT %s, unnest(%s::int[])
                """, [group.id, sorted(member_ids)])
        if changed:
            self._membership_changed()
        return changed

    @api.model
    def _refresh_members_of(self, partners, revenue_band_only=False):
        """Recompute the memberships of ``partners`` only (a dealer changed).

        Returns the groups whose members changed. ``revenue_band_only``:
        only groups with a revenue band (they follow submitted figures).
        """
        # sudo: as in _refresh_members (membership is derived data).
        groups = self.sudo().with_context(active_test=False).search([])
        if revenue_band_only:
            groups = groups.filtered(lambda g: g.revenue_min or g.revenue_max)
        if not groups or not partners:
            return self.browse()
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        cr = self.env.cr
        cr.execute("SELECT group_id, partner_id FROM prm_benchmark_group_member "
                   "WHERE partner_id IN %s AND group_id IN %s",
                   [tuple(partners.ids), tuple(groups.ids)])
        before = set(cr.fetchall())
        after = set()
        for group in groups.filtered("active"):
            domain = group._member_domain(partners.ids) + [
                ("id", "in", partners.ids)]
            after.update((group.id, pid) for pid in Partner.with_context(
                active_test=True).search(domain).ids)
        if before == after:
            return self.browse()
        for group_id, partner_id in before - after:
            cr.execute("DELETE FROM prm_benchmark_group_member "
                       "WHERE group_id = %s AND partner_id = %s",
                       [group_id, partner_id])
        for group_id, partner_id in after - before:
            cr.execute("INSERT INTO prm_benchmark_group_member (group_id, partner_id)"
                       " VALUES (%s, %s)", [group_id, partner_id])
        self._membership_changed()
        return self.browse(sorted({g for g, _p in before ^ after}))

    @api.model
    def _membership_changed(self):
        # Deleting members does not advance the id sequence the statistics
        # stamp reads: advance it, so no cached group data outlives it.
        self.env.cr.execute("SELECT nextval('prm_benchmark_group_member_id_seq')")
        self.env["prm.benchmark.group.member"].invalidate_cache()

    @api.model
    def create(self, vals):
        group = super().create(vals)
        self._refresh_members(group)
        self.env["prm.benchmark.engine"]._mark_stale("group_created", groups=group)
        return group

    def write(self, vals):
        result = super().write(vals)
        engine = self.env["prm.benchmark.engine"]
        keys = set(vals)
        if keys & staleness.GROUP_RULE_FIELDS or "explicit_partner_ids" in keys:
            changed = self._refresh_members(self)
            if changed:
                engine._mark_stale("group_members" if keys == {
                    "explicit_partner_ids"} else "group_rules", groups=changed)
        if keys & staleness.GROUP_ANONYMITY_FIELDS:
            engine._mark_stale("anonymity_group", groups=self)
        return result

    def unlink(self):
        result = super().unlink()
        # Statistics, conflicts and marks of the group go with it (cascade).
        self._membership_changed()
        return result

    def action_refresh_members(self):
        changed = self._refresh_members(self)
        self.env["prm.benchmark.engine"]._mark_stale("group_rules", groups=changed)
        return True

    @api.model
    def _cron_refresh(self):
        """Nightly: members follow every dealer change (safety net behind the
        hooks); groups that changed get their statistics marked stale."""
        changed = self._refresh_members()
        self.env["prm.benchmark.engine"]._mark_stale("group_rules", groups=changed)
