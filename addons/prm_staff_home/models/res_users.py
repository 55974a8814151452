from odoo import api, models

# Supplier-side roles that get the start page as their home (head office
# implies all four).
STAFF_GROUPS = (
    "prm_partner_portal.group_prm_user",
    "prm_partner_portal.group_prm_receivables",
    "prm_partner_portal.group_prm_marketing",
    "prm_partner_portal.group_prm_warranty",
)


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def create(self, vals):
        user = super().create(vals)
        user._prm_sync_home_action()
        return user

    def write(self, vals):
        result = super().write(vals)
        if any(key == "groups_id" or key.startswith(("in_group_", "sel_groups_"))
               for key in vals):
            self._prm_sync_home_action()
        return result

    def _prm_sync_home_action(self):
        """Give supplier-side staff the start page as home action.

        One start page for every role (its tiles follow the groups), so a
        new user or a change of role needs no other setting. A user who
        gets a staff role and has no home action gets the start page; a
        user who loses every staff role loses it. A home action chosen by
        hand is left alone.
        """
        home = self.env.ref("prm_staff_home.action_prm_home",
                            raise_if_not_found=False)
        if not home:
            return
        staff_groups = self.env["res.groups"]
        for xmlid in STAFF_GROUPS:
            staff_groups |= self.env.ref(xmlid)
        for user in self:
            staff = not user.share and bool(user.groups_id & staff_groups)
            # sudo: sets only the start page of a user the caller has just
            # created or changed (which needed the rights to do so).
            if staff and not user.action_id:
                user.sudo().action_id = home.id
            elif not staff and user.action_id.id == home.id:
                user.sudo().action_id = False

    def _prm_scorecard_dealer(self):
        """The dealer whose scorecard this portal user may see: the own
        company for a managing director (if it is a dealer), else None.
        The one access check of /my/scorecard and of the printed scorecard
        for portal users (``res.partner._prm_scorecard_source``).

        The partner is returned in this user's own environment: records
        reached through ``env.user`` are the superuser's in Odoo 11
        (``Environment.user``), and the scorecard's benchmark block must be
        computed as the dealer's page would (outside review 11: the portal
        page read it, and the staff texts, as superuser).
        """
        self.ensure_one()
        if not self._prm_is_director():
            return None
        partner = self.commercial_partner_id
        # sudo(user): not more rights but this user's own (see above)
        return partner.sudo(self.id) if partner.prm_is_dealer else None
