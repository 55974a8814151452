from odoo import fields, models

from ..lib import dealer_figures


class PrmResponseFigures(models.AbstractModel):
    """Lead response figures of a group of leads (territory, touchpoint).

    The same five figures as on the dealer (``res.partner``), from the same
    definition (``crm.lead._prm_response_statistics``): every lead forwarded
    in the window of ``lib/dealer_figures.py`` (the last 12 months) with a
    first reaction counts, lost leads and 0-hour answers included
    (``_prm_window``).
    A model using this sets them with ``_prm_set_response_figures``.
    """

    _name = "prm.response.figures"
    _description = "Lead response figures"

    # the last 12 months, as the dealer's figures (lib/dealer_figures.py)
    response_count = fields.Integer(
        string="Answered leads, last 12 months",
        compute="_compute_response_figures")
    response_avg_hours = fields.Float(
        string="Average first response, last 12 months (h)",
        compute="_compute_response_figures")
    response_median_hours = fields.Float(
        string="Median first response, last 12 months (h)",
        compute="_compute_response_figures")
    response_p90_hours = fields.Float(
        string="90th percentile first response, last 12 months (h)",
        compute="_compute_response_figures")
    response_within_target = fields.Float(
        string="Answered within target, last 12 months (%)",
        compute="_compute_response_figures",
        help="Share of the answered leads forwarded in the last 12 months "
             "that were answered within their touchpoint's target response "
             "time.")

    acceptance_rate = fields.Float(
        string="Acceptance rate (%)", compute="_compute_routing_figures",
        help="Accepted forwardings out of the decided ones (accepted, "
             "declined, recalled for no answer).")
    recall_count = fields.Integer(
        string="Recalled leads", compute="_compute_routing_figures")

    def _compute_response_figures(self):
        raise NotImplementedError

    def _prm_routing_domain(self):
        """Domain on ``prm.lead.routing`` of this record's forwardings."""
        raise NotImplementedError

    def _compute_routing_figures(self):
        """Acceptance rate and recalls from the forwarding log
        (``prm.lead.routing._prm_routing_statistics``), as the current user."""
        Routing = self.env["prm.lead.routing"]
        readable = Routing.check_access_rights("read", raise_exception=False)
        for record in self:
            row = {}
            if readable and record.id:
                row = Routing._prm_routing_statistics(
                    record._prm_routing_domain(), None).get(False) or {}
            rate = row.get("acceptance_rate")
            record.acceptance_rate = 100.0 * rate if rate is not None else 0.0
            record.recall_count = row.get("recalled", 0)

    def _prm_set_response_figures(self, stats):
        """Write one ``_prm_response_statistics`` group (or None) on ``self``."""
        stats = stats or {}
        within = dealer_figures.within_target_percent(
            stats.get("within_target") or 0, stats.get("count") or 0)
        self.response_count = stats.get("count") or 0
        self.response_avg_hours = stats.get("average") or 0.0
        self.response_median_hours = stats.get("median") or 0.0
        self.response_p90_hours = stats.get("p90") or 0.0
        self.response_within_target = within or 0.0

    def _prm_window(self):
        """The leads' domain part of the window (forwarded in the last 12
        months): one definition with the dealer's figures."""
        return self.env["res.partner"]._prm_window_domain("prm_forwarded_date")
