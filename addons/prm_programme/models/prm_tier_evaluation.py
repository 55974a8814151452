from odoo import api, fields, models

from odoo.addons.prm_benchmark.models.benchmark_entry import SUBMITTED_STATES
from odoo.addons.prm_partner_portal.lib import dealer_figures
from odoo.addons.prm_partner_portal.lib import targets as target_logic

from ..lib import tier_rules


class PrmTierEvaluation(models.AbstractModel):
    """The evaluation run: figures of every active dealer from their one
    origin, the rules of ``lib/tier_rules.py``, proposals for head office.

    Figures (read with sudo: the run is head office's or the cron's, its
    results go to head-office models and to each dealer's own status row):

    - revenue_4q, attainment: the dealers' revenue targets (``prm.target``
      of ``metric_revenue``, actuals from their metric's source) of the 4
      finished quarters before today's, summed and combined as the
      portal's target summary does (``targets.combine``);
    - benchmark: benchmark entries submitted or checked (the periods'
      participation count) of periods inside those 4 quarters;
    - technicians: ``res.partner.prm_certified_technicians``;
    - response_within, satisfaction: the dealer's figures of the last 12
      months as on the dealer form and the scorecard (one definition:
      ``prm_partner_portal/lib/dealer_figures.py``).

    The trend: the same figures of the windows ending on the comparison
    day (``tier_rules.comparison_day``, a quarter before), stored on the
    status as ``previous_*``. The day is the network's (Europe/Berlin,
    ``dealer_figures.network_today``), whoever starts the run.
    """

    _name = "prm.tier.evaluation"
    _description = "Tier evaluation run"

    @api.model
    def _prm_today(self):
        """The network's day (Europe/Berlin), not the caller's."""
        return dealer_figures.network_today()

    @api.model
    def _prm_figures(self, dealers, today, history=False):
        """``{dealer id: {criterion code: float or None}}`` of the windows
        ending ``today`` (a ``date``). With ``history`` (an earlier day's
        figures, the trend): certified technicians are None, the count has
        no history."""
        ids = dealers.ids
        result = {pid: dict.fromkeys(tier_rules.CRITERIA) for pid in ids}
        if not ids:
            return result
        start, end = tier_rules.trailing_quarters(today)
        self._prm_target_figures(ids, start, end, result)
        self._prm_benchmark_figures(ids, start, end, result)
        for dealer in dealers:
            result[dealer.id]["technicians"] = None if history else float(
                dealer.prm_certified_technicians or 0)
        # the figures of the dealer form and the scorecard, one definition
        # (prm_partner_portal lib/dealer_figures.py); sudo: head office
        # figures of all dealers (see the class docstring)
        Dealers = self.env["res.partner"].sudo().browse(ids)
        for dealer_id, figures in Dealers._prm_response_figures(today).items():
            result[dealer_id]["response_within"] = figures["within_target_percent"]
        for dealer_id, (rating, _count) in Dealers._prm_satisfaction(
                today).items():
            result[dealer_id]["satisfaction"] = rating
        return result

    def _prm_target_figures(self, ids, start, end, result):
        metric = self.env.ref("prm_partner_portal.metric_revenue",
                              raise_if_not_found=False)
        rows = {pid: [] for pid in ids}
        if metric:
            # sudo: head office figures (see the class docstring)
            for target in self.env["prm.target"].sudo().search_read([
                    ("partner_id", "in", ids), ("metric_id", "=", metric.id),
                    ("date_start", ">=", fields.Date.to_string(start)),
                    ("date_end", "<", fields.Date.to_string(end))],
                    ["partner_id", "target_value", "actual_value"]):
                rows[target["partner_id"][0]].append({
                    "target": target["target_value"],
                    "actual": target["actual_value"], "count": 1})
        for pid, dealer_rows in rows.items():
            summary = target_logic.combine(dealer_rows, "sum")
            result[pid]["revenue_4q"] = summary["actual"]
            result[pid]["attainment"] = summary["attainment"]

    def _prm_benchmark_figures(self, ids, start, end, result):
        counts = {pid: 0 for pid in ids}
        # sudo: head office figures (see the class docstring)
        for group in self.env["prm.benchmark.entry"].sudo().read_group([
                ("partner_id", "in", ids), ("state", "in", list(SUBMITTED_STATES)),
                ("period_id.date_start", ">=", fields.Date.to_string(start)),
                ("period_id.date_end", "<", fields.Date.to_string(end))],
                ["partner_id"], ["partner_id"]):
            counts[group["partner_id"][0]] = group["partner_id_count"]
        for pid, count in counts.items():
            result[pid]["benchmark"] = float(count)

    @api.model
    def _prm_run(self, today=None):
        """Evaluate every active dealer; returns the number of open
        proposals. Called by the cron and by head office's button."""
        today = today or self._prm_today()
        # sudo: the run covers the whole network for head office (the
        # callers check head office or are the cron)
        dealers = self.env["res.partner"].sudo().search(
            [("prm_is_dealer", "=", True), ("prm_state", "=", "active")])
        # dealers that left the programme get no tier changes: their open
        # and waiting proposals end (also when the status changed by SQL)
        Proposal = self.env["prm.tier.proposal"].sudo()
        Proposal._prm_cancel_open(Proposal.search([
            ("state", "in", ("proposed", "grace")),
            ("partner_id", "not in", dealers.ids)]).mapped("partner_id"))
        rules = self.env["prm.tier"].sudo()._prm_rules()
        if not any(rule.thresholds for rule in rules):
            return 0  # no criteria yet: every tier would be open to all
        figures = self._prm_figures(dealers, today)
        before = tier_rules.comparison_day(today)
        history = self._prm_figures(dealers, before, history=True)
        Status = self.env["prm.tier.status"].sudo()
        statuses = {status.partner_id.id: status
                    for status in Status.search([("partner_id", "in", dealers.ids)])}
        proposals = Proposal.search([("partner_id", "in", dealers.ids),
                                     ("state", "in", ("proposed", "grace"))])
        now = fields.Datetime.now()
        for dealer in dealers:
            values = figures[dealer.id]
            status_vals = dict(Status._prm_vals_of(values), evaluated_on=now,
                               qualified_tier_id=tier_rules.qualified_tier(
                                   rules, values).key,
                               previous_on=fields.Date.to_string(before),
                               **Status._prm_vals_of(history[dealer.id],
                                                     previous=True))
            status = statuses.get(dealer.id)
            if status:
                status.write(status_vals)
            else:
                status = Status.create(dict(status_vals, partner_id=dealer.id))
            own = proposals.filtered(lambda p: p.partner_id == dealer)
            change = tier_rules.propose(rules, values, dealer.prm_tier_id.id or None)
            self._prm_settle(dealer, status, own, change, today, now)
        return Proposal.search_count([("state", "=", "proposed")])

    def _prm_settle(self, dealer, status, own, change, today, now):
        """Bring one dealer's open and grace proposals in line with
        ``change`` (a ``tier_rules.Proposal`` or None)."""
        grace = own.filtered(lambda p: p.state == "grace")
        if grace:
            if change is None or change.direction == tier_rules.UP:
                grace.write({"state": "cancelled"})
                status.write({"grace_until": False, "grace_tier_id": False})
            elif grace[0].grace_until and fields.Date.from_string(
                    grace[0].grace_until) <= today:
                grace[0].write({"to_tier_id": change.to_key})
                grace[0]._prm_apply()
                grace.write({"state": "applied"})
            return
        open_ = own.filtered(lambda p: p.state == "proposed")
        if change is None:
            open_.write({"state": "cancelled"})
            return
        same = open_.filtered(lambda p: p.to_tier_id.id == change.to_key
                              and p.direction == change.direction)
        (open_ - same).write({"state": "cancelled"})
        reasons = [(5,)] + [(0, 0, {
            "sequence": index, "criterion": item.criterion,
            "value": item.value or 0.0, "has_value": item.value is not None,
            "threshold": item.threshold, "met": item.met,
        }) for index, item in enumerate(change.reasons)]
        if same:
            same[:1].write({"reason_ids": reasons, "evaluated_on": now})
            return
        self.env["prm.tier.proposal"].sudo().create({
            "partner_id": dealer.id, "direction": change.direction,
            "from_tier_id": change.from_key or False, "to_tier_id": change.to_key,
            "reason_ids": reasons, "evaluated_on": now})
