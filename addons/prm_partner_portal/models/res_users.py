from odoo import SUPERUSER_ID, api, fields, models

from . import read_group_access

#: Head office: PRM managers and administrators (one rule, see
#: ``ResUsers._prm_is_head_office``).
HEAD_OFFICE_GROUPS = ("prm_partner_portal.group_prm_manager", "base.group_system")
PORTAL_CLASS_GROUPS = {
    "director": "prm_partner_portal.group_prm_portal_director",
    "bookkeeper": "prm_partner_portal.group_prm_portal_bookkeeper",
}


class ResUsers(models.Model):
    """Partner permission classes and the territories a user manages."""

    _inherit = "res.users"

    prm_portal_class = fields.Selection([
        ("director", "Managing director"),
        ("bookkeeper", "Bookkeeper"),
    ], string="Partner permission class", compute="_compute_prm_portal_class",
        inverse="_inverse_prm_portal_class",
        help="Managing director: everything of the own company. "
             "Bookkeeper: only the figures entry form.")
    prm_managed_territory_ids = fields.One2many(
        "prm.territory", "manager_id", string="Managed territories")

    def _prm_is_head_office(self):
        """Whether the user (``self``, one record) is head office: a PRM
        manager or an administrator; the superuser too. Returns a bool."""
        self.ensure_one()
        return self.id == SUPERUSER_ID or any(
            self.has_group(group) for group in HEAD_OFFICE_GROUPS)

    @api.depends("groups_id")
    def _compute_prm_portal_class(self):
        groups = {key: self.env.ref(xmlid)
                  for key, xmlid in PORTAL_CLASS_GROUPS.items()}
        for user in self:
            user.prm_portal_class = next(
                (key for key, group in groups.items() if group in user.groups_id),
                False)

    def _inverse_prm_portal_class(self):
        portal = self.env.ref("base.group_portal")
        groups = {key: self.env.ref(xmlid)
                  for key, xmlid in PORTAL_CLASS_GROUPS.items()}
        for user in self:
            commands = [(3, group.id) for group in groups.values()]
            if user.prm_portal_class:
                commands.append((4, groups[user.prm_portal_class].id))
                if portal not in user.groups_id:
                    commands.append((4, portal.id))
            user.groups_id = commands

    def _prm_is_director(self):
        return self.has_group(PORTAL_CLASS_GROUPS["director"])

    def _prm_takes_part(self):
        """True when the user's company takes part in the partner programme
        (``res.partner._prm_takes_part``); False for an empty recordset."""
        return self.commercial_partner_id._prm_takes_part() if self else False

    def _prm_is_bookkeeper(self):
        return self.has_group(PORTAL_CLASS_GROUPS["bookkeeper"])

    def _prm_dealer_scope_restricted(self):
        """True for territory managers without a network-wide PRM role.

        Used by the global dealer record rule; internal users without any PRM
        group are not restricted (accounting, sales back office).
        """
        if not self.has_group("prm_partner_portal.group_prm_user"):
            return False
        return not any(self.has_group("prm_partner_portal.%s" % group) for group in (
            "group_prm_manager", "group_prm_receivables", "group_prm_marketing",
            "group_prm_warranty"))

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None,
                   orderby=False, lazy=True):
        """Groups of the records ``search`` gives the caller:
        core refuses password fields in ``_search`` (``read_group_access``)."""
        return super().read_group(
            read_group_access.search_domain(self, domain), fields, groupby,
            offset=offset, limit=limit, orderby=orderby, lazy=lazy)
