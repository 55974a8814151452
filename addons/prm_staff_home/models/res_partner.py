from odoo import _, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools.misc import format_date

from odoo.addons.prm_benchmark.glue import number_format_of
from odoo.addons.prm_benchmark.models.benchmark_entry import COUNTED

from ..lib import scorecard

UNIT_DIGITS = {"currency": 0, "count": 0, "percent": 1, "hours": 1}


class ResPartner(models.Model):
    _inherit = "res.partner"

    prm_scorecard_html = fields.Html(
        string="Scorecard", compute="_compute_prm_scorecard_html",
        sanitize=False, groups="base.group_user")

    def _compute_prm_scorecard_html(self):
        for partner in self:
            partner.prm_scorecard_html = partner._prm_scorecard_render(
                partner._prm_scorecard_sections()) if partner.prm_is_dealer \
                and partner.id else False

    def _prm_scorecard_render(self, sections):
        """The scorecard body (HTML text) of ``sections``."""
        html = self.env["ir.qweb"].render(
            "prm_staff_home.scorecard_body", {"sections": sections})
        return html.decode() if isinstance(html, bytes) else html

    @api.model
    def _prm_home_missing_entry_domain(self):
        """Active dealers without a submitted entry in a benchmark period
        that is open and whose deadline has not passed (res.partner domain).

        The entries are searched as the user: a territory manager's list
        is his territory's.
        """
        today = fields.Date.context_today(self)
        periods = self.env["prm.benchmark.period"].search([
            ("state", "=", "open"),
            "|", ("deadline", "=", False), ("deadline", ">=", today)])
        if not periods:
            return [("id", "=", 0)]
        Entry = self.env["prm.benchmark.entry"]
        complete = None
        for period in periods:
            submitted = set(Entry.search([
                ("period_id", "=", period.id),
                ("state", "in", COUNTED)]).mapped("partner_id").ids)
            complete = submitted if complete is None else complete & submitted
        return [("prm_is_dealer", "=", True), ("prm_state", "=", "active"),
                ("id", "not in", sorted(complete))]

    # --- scorecard ----------------------------------------------------------
    def _prm_scorecard_texts(self):
        """Translated texts of ``lib.scorecard.TEXT_KEYS``; the own-figure
        columns say "your" to the dealer's director and "the dealer's" to
        head office and territory managers (form tab, PDF)."""
        texts = {
            "targets": _("Targets and attainment"),
            "benchmark": _("Benchmark position"),
            "leads": _("Leads and response times"),
            "claims": _("Warranty claims"),
            "receivables": _("Receivables"),
            "feedback": _("Customer feedback, last 12 months"),
            "target": _("Target"), "actual": _("Actual"),
            "attainment": _("Attainment"), "trend": _("Trend"),
            "own": _("Your value"), "median": _("Median"),
            "position": _("Position"), "change": _("Change to previous period"),
            "value": _("Value"), "no_data": _("No figures yet."),
            "leads_count": _("Forwarded leads"),
            "leads_open": _("Leads awaiting a reaction"),
            "leads_overdue": _("Leads waiting beyond their deadline"),
            "response_median": _("Median first response, last 12 months"),
            "response_p90": _(
                "90th percentile first response, last 12 months"),
            "within_target": _(
                "Answered within target time, last 12 months"),
            "claims_total": _("Warranty claims"),
            "claims_open": _("Open warranty claims"),
            "receivable_open": _("Open receivables"),
            "receivable_overdue": _("Overdue receivables"),
            "rating": _("Customer satisfaction"),
            "rating_count": _("Customer ratings"),
            "hours": _("h"), "percent": "%",
            "benchmark_none": _("No benchmark comparison released yet."),
            "tier": _("Tier criteria"), "tier_value": _("Your figure"),
            "tier_min_current": _("Minimum of the current tier"),
            "tier_min_next": _("Minimum of the next tier"),
            "tier_gap": _("Still missing"),
            "tier_subtitle": _("current tier: %(tier)s, next tier: %(next)s "
                               "(figures of the evaluation of %(date)s)"),
            "tier_top": _("none (highest tier)"),
            "tier_previous": _("A quarter before (%(date)s)"),
        }
        if not self.env.user.share:
            texts.update(own=_("Dealer's value"), tier_value=_("Dealer's figure"))
        return texts

    def _prm_scorecard_tier(self):
        """The tier criteria as on the dealer's tier card (the same render
        model: ``prm.tier.status._prm_card``), read in this recordset's
        environment; None without an evaluation the reader may see."""
        self.ensure_one()
        Status = self.env["prm.tier.status"]
        if not Status.check_access_rights("read", raise_exception=False):
            return None
        card = Status._prm_card(self)
        if card is None:
            return None
        return {
            "tier": card["tier"].name,
            # the day in the reader's time zone and language
            "evaluated_on": format_date(self.env, card["evaluated_on"]),
            "previous_on": (format_date(self.env, card["previous_on"])
                            if card["previous_on"] else None),
            "next_tier": card["next_tier"].name if card["next_tier"] else None,
            "rows": [dict(row, label=card["labels"].get(row["criterion"], ""),
                          unit=card["units"].get(row["unit"], ""))
                     for row in card["rows"]],
        }

    def _prm_scorecard_targets(self):
        """Targets of the dealer's ended periods, per metric (a running
        period's actuals are not complete: as the dealer form's "last
        period" attainment)."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        targets = self.env["prm.target"].search([
            ("partner_id", "=", self.id), ("date_end", "<", today)],
            order="date_start")
        symbol = self.env.user.company_id.currency_id.symbol or ""
        units = {"currency": symbol, "count": "", "percent": "%",
                 "hours": _("h")}
        metrics = []
        by_metric = {}
        for target in targets.sorted(lambda t: (t.metric_id.sequence,
                                                t.metric_id.id, t.date_start)):
            metric = target.metric_id
            if metric.id not in by_metric:
                by_metric[metric.id] = {
                    "metric": metric.name, "unit": units.get(metric.unit, ""),
                    "digits": UNIT_DIGITS.get(metric.unit, 0), "periods": []}
                metrics.append(by_metric[metric.id])
            by_metric[metric.id]["periods"].append({
                "name": target.date_range_id.name,
                "target": target.target_value, "actual": target.actual_value,
                "attainment": target.attainment if target.target_value
                else None})
        return metrics

    def _prm_scorecard_benchmark(self):
        """The dealer's benchmark position, from the same analysis (and
        release rules) as the dealer's own /my/benchmark page: its default
        view (the newest published period, else the newest; the first
        comparison group shown). None when there is nothing to show.

        Must be called in the environment the dealer's page would use or a
        backend user's: the analysis reads only the dealer's own figures and
        released statistics.
        """
        self.ensure_one()
        analysis = self.env["prm.benchmark.analysis"]
        period = analysis._default_period(analysis._analysis_periods())
        if not period:
            return None
        groups = analysis._visible_groups(self, period)
        if not groups:
            return None
        view = analysis._analysis_data(self, period, groups[:1], groups)
        return {
            "period": period.name, "group": groups[:1].name,
            "note": view.get("give_to_get") or "",
            "rows": [{"name": row["name"], "unit": row.get("unit_label", ""),
                      "own": row["cells"]["own"],
                      "median": row["cells"]["median"],
                      "rank": row["cells"]["rank"],
                      "change": row["cells"]["change"]}
                     for row in view["kpis"]],
        }

    def _prm_scorecard_data(self, benchmark):
        """The builder's ``data`` for this dealer (see lib.scorecard), read
        in this recordset's environment; ``benchmark`` as computed by
        ``_prm_scorecard_benchmark``."""
        self.ensure_one()
        figures = self._prm_relationship_figures().get(self.id, {})
        Lead = self.env["crm.lead"]
        overdue = Lead.search_count(Lead._prm_deadline_domain() + [
            ("partner_assigned_id", "=", self.id)]) \
            if Lead.check_access_rights("read", raise_exception=False) else 0
        data = {
            "targets": self._prm_scorecard_targets(),
            "benchmark": benchmark,
            "leads": {"count": figures.get("leads", 0),
                      "open": figures.get("leads_open", 0),
                      "overdue": overdue,
                      "median_hours": figures.get("response_median"),
                      "p90_hours": figures.get("response_p90"),
                      "within_target": figures.get("response_within_target")},
            "claims": {"total": figures.get("claims", 0),
                       "open": figures.get("claims_open", 0)},
            "receivables": None,
            "tier": self._prm_scorecard_tier(),
            "feedback": {"rating": figures.get("feedback_rating"),
                         "count": figures.get("feedback_count", 0)},
        }
        if "account.invoice" in self.env:
            data["receivables"] = {
                "open": figures.get("receivable_open", 0.0),
                "overdue": figures.get("receivable_overdue", 0.0)}
            data["currency"] = self.env.user.company_id.currency_id.symbol
        return data

    def _prm_scorecard_sections(self, figures_env_partner=None):
        """Render-ready scorecard sections of this dealer.

        The benchmark block is computed as the current user; the other
        figures through ``figures_env_partner`` (this partner in the
        environment that reads them; default: this recordset).
        """
        self.ensure_one()
        source = figures_env_partner or self
        data = source._prm_scorecard_data(self._prm_scorecard_benchmark())
        return scorecard.build_scorecard(
            data, self._prm_scorecard_texts(), number_format_of(self.env))

    def _prm_scorecard_source(self):
        """This dealer in the environment its scorecard figures are read in
        (``figures_env_partner`` of ``_prm_scorecard_sections``).

        Internal users: this recordset, their own rights and record rules
        (as the dealer form). Portal users: only a managing director, for
        his own company (``res.users._prm_scorecard_dealer``, the check of
        /my/scorecard): the dealer as superuser, so the print shows the
        page's figures (with the portal rights warranty claims read 0);
        AccessError for everyone else (bookkeepers get no scorecard).
        """
        self.ensure_one()
        user = self.env.user
        if not user.share:
            return self
        if user._prm_scorecard_dealer() != self:
            raise AccessError(_(
                "The scorecard is only available to the managing director "
                "of a partner company."))
        # sudo: the reader is the managing director of this very dealer
        # (checked above); only its own relationship figures are read.
        return self.sudo()

    def action_prm_print_scorecard(self):
        self.ensure_one()
        return self.env.ref(
            "prm_staff_home.action_report_scorecard").report_action(self)
