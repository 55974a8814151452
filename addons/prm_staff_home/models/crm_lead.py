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
        pending) and the touchpoint's ``target_response_hours`` (its
        default without a touchpoint) have passed since forwarding. When
        lead routing brings a deadline field, only this method changes.
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
            expression.OR(late)])

    @api.model
    def _prm_home_overdue_domain(self):
        """Tile domain: see ``_prm_deadline_domain``."""
        return self._prm_deadline_domain()
