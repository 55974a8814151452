from odoo import api, fields, models, _
from odoo.exceptions import AccessError, UserError

from odoo.addons.prm_benchmark.glue import number_format_of
from odoo.addons.prm_benchmark.lib import numbers

from ..lib import tier_card, tier_rules

STATES = [
    ("proposed", "Proposed"),
    ("grace", "Confirmed, in grace period"),
    ("applied", "Applied"),
    ("rejected", "Rejected"),
    ("cancelled", "Cancelled"),
]


class PrmTierProposal(models.Model):
    """An up- or downgrade the evaluation proposes; head office decides.

    ``proposed`` -> ``applied`` (confirmed; the tier changes at once) or
    ``grace`` (a confirmed downgrade from a tier with grace months: the
    dealer keeps the tier until ``grace_until``; the next run after it
    applies the downgrade if the dealer still does not qualify, a run
    meanwhile that finds the dealer qualified again cancels it) or
    ``rejected``. A newer run cancels an undecided proposal it no longer
    makes.
    """

    _name = "prm.tier.proposal"
    _description = "Tier change proposal"
    _order = "evaluated_on desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", string="Dealer", required=True, index=True,
        ondelete="cascade", readonly=True)
    territory_id = fields.Many2one(
        related="partner_id.prm_territory_id", store=True, index=True,
        readonly=True)
    direction = fields.Selection(
        [("up", "Upgrade"), ("down", "Downgrade")], required=True, readonly=True)
    from_tier_id = fields.Many2one("prm.tier", string="Current tier",
                                   readonly=True, ondelete="set null")
    to_tier_id = fields.Many2one("prm.tier", string="Proposed tier",
                                 required=True, readonly=True, ondelete="cascade")
    reason_ids = fields.One2many("prm.tier.proposal.reason", "proposal_id",
                                 string="Reasons", readonly=True)
    state = fields.Selection(STATES, required=True, default="proposed",
                             readonly=True, index=True)
    evaluated_on = fields.Datetime(readonly=True, default=fields.Datetime.now)
    decided_by_id = fields.Many2one("res.users", string="Decided by",
                                    readonly=True, ondelete="set null")
    decided_on = fields.Datetime(readonly=True)
    grace_until = fields.Date(string="Tier kept until", readonly=True)

    def name_get(self):
        return [(proposal.id, "%s: %s → %s" % (
            proposal.partner_id.display_name,
            proposal.from_tier_id.name or "–", proposal.to_tier_id.name))
            for proposal in self]

    def _prm_check_head_office(self):
        if not self.env.user._prm_is_head_office():
            raise AccessError(_("Only head office evaluates tiers and decides "
                                "on tier changes."))

    @api.model
    def action_prm_run_evaluation(self):
        """Evaluate the network now (head office); opens the proposals."""
        self._prm_check_head_office()
        if not self.env["prm.tier.criterion"].sudo().search_count([]):
            raise UserError(_("No tier has criteria yet: set them under "
                              "Configuration > Tier criteria first."))
        self.env["prm.tier.evaluation"]._prm_run()
        action = self.env.ref("prm_programme.action_prm_tier_proposal").read()[0]
        return action

    def _prm_undecided(self):
        undecided = self.filtered(lambda proposal: proposal.state == "proposed")
        if not undecided:
            raise UserError(_("Only proposals that are still open can be "
                              "confirmed or rejected."))
        return undecided

    @api.model
    def _prm_cancel_open(self, dealers):
        """Cancel the open and waiting (grace) proposals of ``dealers``
        (dealers outside the programme) and clear their status' grace."""
        # sudo: proposals and statuses are written by the programme's code;
        # the caller is the status change of the dealers (checked there)
        # or the evaluation run
        open_ = self.sudo().search([("partner_id", "in", dealers.ids),
                                    ("state", "in", ("proposed", "grace"))])
        if open_:
            open_.write({"state": "cancelled"})
            self.env["prm.tier.status"].sudo().search([
                ("partner_id", "in", open_.mapped("partner_id").ids)]).write(
                    {"grace_until": False, "grace_tier_id": False})
        return open_

    def action_confirm(self):
        """Confirm open proposals (one or many): the tier changes, or a
        downgrade from a tier with grace months waits for its grace period.
        Refused (translated UserError, nothing changed) for a dealer that
        does not take part in the programme."""
        self._prm_check_head_office()
        outside = self.filtered(
            lambda proposal: not proposal.partner_id._prm_takes_part())
        if outside:
            raise UserError(_(
                "%(dealers)s does not take part in the partner programme at "
                "present: its tier is not changed.") % {
                    "dealers": ", ".join(outside.mapped("partner_id.name"))})
        # the grace period counts network days, as the run that ends it
        today = self.env["prm.tier.evaluation"]._prm_today()
        now = fields.Datetime.now()
        for proposal in self._prm_undecided():
            kind, until = tier_rules.grace_decision(
                proposal.direction, proposal.from_tier_id.grace_months, today)
            decided = {"decided_by_id": self.env.uid, "decided_on": now}
            if kind == "grace":
                proposal.write(dict(decided, state="grace",
                                    grace_until=fields.Date.to_string(until)))
                proposal._prm_status().write({
                    "grace_until": proposal.grace_until,
                    "grace_tier_id": proposal.to_tier_id.id})
            else:
                proposal._prm_apply()
                proposal.write(dict(decided, state="applied"))
        return True

    def action_reject(self):
        """Reject open proposals (one or many); the tier stays."""
        self._prm_check_head_office()
        self._prm_undecided().write({
            "state": "rejected", "decided_by_id": self.env.uid,
            "decided_on": fields.Datetime.now()})
        return True

    def _prm_status(self):
        # sudo: the dealer's status row is written by the evaluation only
        # (nobody has write access); head office decided (checked above)
        return self.env["prm.tier.status"].sudo().search(
            [("partner_id", "=", self.partner_id.id)])

    def _prm_apply(self):
        """Give the dealer the proposed tier (history via the context)."""
        self.ensure_one()
        self.partner_id.with_context(prm_tier_proposal_id=self.id).write(
            {"prm_tier_id": self.to_tier_id.id})
        self._prm_status().write({"grace_until": False, "grace_tier_id": False})
        self._prm_mail_tier_change()

    def _prm_mail_tier_change(self):
        """Mail the tier change to the dealer's active portal users who see
        the tier card (managing directors and bookkeepers), each in his own
        language; with prm_documents installed the template follows the
        user's notification setting ("Tier changes": at once, in the digest
        or not at all). Returns the recipients."""
        self.ensure_one()
        readers = (
            self.env.ref("prm_partner_portal.group_prm_portal_director")
            | self.env.ref("prm_partner_portal.group_prm_portal_bookkeeper"))
        # sudo: the dealer's own users are looked up by the system to tell
        # them about their own company's tier (head office decided)
        users = self.env["res.users"].sudo().search([
            ("commercial_partner_id", "=", self.partner_id.id),
            ("share", "=", True), ("groups_id", "in", readers.ids)])
        # sudo: mail templates are readable by administrators only
        template = self.env.ref("prm_programme.mail_template_tier_changed").sudo()
        Lead = self.env["crm.lead"]
        for user in users:
            lang = Lead._prm_in_language_of(user.partner_id).env.context.get("lang")
            values = self.with_context(lang=lang)._prm_mail_values()
            template.with_context(lang=lang, prm_tier_change=values).send_mail(
                user.id, force_send=False)
        return users

    def _prm_mail_values(self):
        """Old and new tier and the reasons as texts in the language of
        ``self``'s context: ``{"from_tier", "to_tier", "reasons": [str]}``
        (never empty: a tier without criteria is named as the reason)."""
        self.ensure_one()
        # sudo: tier names and the proposal's reasons go to the dealer's
        # own directors (the reasons are the dealer's own figures)
        proposal = self.sudo()
        Criterion = self.env["prm.tier.criterion"]
        labels, units = Criterion._prm_labels(), Criterion._prm_unit_labels()
        fmt = number_format_of(self.env)
        reasons = []
        for reason in proposal.reason_ids:
            kind = tier_rules.CRITERIA.get(reason.criterion)
            unit = units.get(kind, "")

            def number(value, kind=kind, unit=unit):
                return " ".join(filter(None, (numbers.format_number(
                    value, fmt[0], fmt[1], digits=tier_card.DIGITS[kind]), unit)))

            reasons.append(_("%(criterion)s: %(value)s, minimum %(minimum)s "
                             "(%(state)s)") % {
                "criterion": labels.get(reason.criterion, reason.criterion),
                "value": number(reason.value) if reason.has_value else "–",
                "minimum": number(reason.threshold),
                "state": _("met") if reason.met else _("not met")})
        if not reasons:
            # an upgrade to a tier without criteria (e.g. a dealer's first
            # tier, the lowest): no figure decided, the mail says so
            reasons.append(_("The tier %(tier)s has no minimum requirements: "
                             "every dealer in the programme qualifies for it.")
                           % {"tier": proposal.to_tier_id.name})
        return {"from_tier": proposal.from_tier_id.name or "–",
                "to_tier": proposal.to_tier_id.name, "reasons": reasons}


class PrmTierProposalReason(models.Model):
    """One criterion behind a proposal: the dealer's figure vs the minimum."""

    _name = "prm.tier.proposal.reason"
    _description = "Reason of a tier change proposal"
    _order = "proposal_id, sequence, id"
    _rec_name = "criterion"

    proposal_id = fields.Many2one(
        "prm.tier.proposal", required=True, index=True, ondelete="cascade",
        readonly=True)
    partner_id = fields.Many2one(related="proposal_id.partner_id", store=True,
                                 index=True, readonly=True)
    territory_id = fields.Many2one(related="proposal_id.territory_id", store=True,
                                   index=True, readonly=True)
    sequence = fields.Integer(readonly=True)
    criterion = fields.Selection(
        selection=lambda self: self.env[
            "prm.tier.criterion"]._selection_criterion(),
        required=True, readonly=True)
    value = fields.Float(string="Figure", readonly=True)
    has_value = fields.Boolean(string="Has a figure", readonly=True)
    threshold = fields.Float(string="Minimum", readonly=True)
    met = fields.Boolean(readonly=True)
    unit = fields.Char(compute="_compute_unit")

    @api.depends("criterion")
    def _compute_unit(self):
        units = self.env["prm.tier.criterion"]._prm_unit_labels()
        for reason in self:
            reason.unit = units.get(tier_rules.CRITERIA.get(reason.criterion), "")
