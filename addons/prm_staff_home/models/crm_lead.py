import datetime

from odoo import api, fields, models
from odoo.osv import expression


class CrmLead(models.Model):
    _inherit = "crm.lead"

    @api.model
    def _prm_deadline_domain(self, now=None):
        """Forwarded leads without a dealer reaction beyond their deadline.

        The one definition of "waiting beyond the deadline": the lead is
        forwarded, the dealer has not reacted (``prm_dealer_state``
        pending) and its acceptance deadline has passed
        (``prm_accept_deadline``, in the dealer's business hours, set by
        lead routing when it forwards); a lead without one (forwarded
        before routing existed, or a touchpoint without acceptance hours)
        counts from its touchpoint's ``target_response_hours`` (their
        default without a touchpoint) since forwarding.
        ``now``: UTC datetime (default: now). Returns a domain (list).
        """
        now = now or fields.Datetime.from_string(fields.Datetime.now())
        Touchpoint = self.env["prm.touchpoint"]
        default_hours = Touchpoint._fields["target_response_hours"].default(
            Touchpoint)

        def before(hours):
            return fields.Datetime.to_string(
                now - datetime.timedelta(hours=hours))

        # sudo: only the touchpoints' target hours (configuration) are read;
        # which leads count is decided by the caller's search as the user.
        touchpoints = Touchpoint.sudo().with_context(active_test=False).search([])
        late = [["&", ("prm_touchpoint_id", "=", False),
                 ("prm_forwarded_date", "<", before(default_hours))]]
        late += [["&", ("prm_touchpoint_id", "=", touchpoint.id),
                  ("prm_forwarded_date", "<",
                   before(touchpoint.target_response_hours))]
                 for touchpoint in touchpoints]
        return expression.AND([
            [("partner_assigned_id", "!=", False),
             ("prm_forwarded_date", "!=", False),
             ("prm_dealer_state", "=", "pending")],
            expression.OR([
                # (NULL < now is not true in SQL: leads with a deadline only)
                [("prm_accept_deadline", "<", fields.Datetime.to_string(now))],
                expression.AND([[("prm_accept_deadline", "=", False)],
                                expression.OR(late)])])])

    @api.model
    def _prm_home_overdue_domain(self):
        """Tile domain: see ``_prm_deadline_domain``."""
        return self._prm_deadline_domain()
