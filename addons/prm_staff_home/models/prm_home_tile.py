import datetime

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.safe_eval import safe_eval

# Only model methods with this prefix may compute a tile's domain.
DOMAIN_METHOD_PREFIX = "_prm_home_"


class PrmHomeTile(models.Model):
    """One tile of the supplier-side start page.

    A tile names a model, a domain and the window action of the list behind
    it; its count is ``search_count`` as the signed-in user, so record
    rules apply (a territory manager counts his territory, head office the
    network). Tiles are data: another addon adds one with an XML record
    (``model_name``, ``domain`` or ``domain_method``, ``action_xmlid``,
    ``group_ids``, ``sequence``). A tile whose model is not installed (e.g.
    ``account.invoice`` without accounting) or not readable is not shown.
    """

    _name = "prm.home.tile"
    _description = "Start page tile"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    description = fields.Char(translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    icon = fields.Char(default="fa-list", help="Font Awesome icon class.")
    model_name = fields.Char(
        string="Model", required=True,
        help="Technical model name, e.g. crm.lead; the tile is hidden when "
             "the model is not installed.")
    domain = fields.Char(
        default="[]", required=True,
        help="Domain of the records counted and listed; may use uid, today "
             "(date) and now (UTC datetime) as strings.")
    domain_method = fields.Char(
        help="Optional model method (name starting with _prm_home_) whose "
             "domain is added, for conditions a static domain cannot state.")
    action_xmlid = fields.Char(
        string="Action (XML id)",
        help="Window action of the list behind the tile (its views); without "
             "it, or when it is not installed, a plain list and form.")
    context = fields.Char(
        default="{}", help="Context of the list (e.g. grouping), a dict.")
    group_ids = fields.Many2many(
        "res.groups", string="Roles",
        help="Shown to users of any of these groups; empty: every internal "
             "user (who may read the model).")
    count = fields.Integer(compute="_compute_count")

    @api.model
    def _prm_model(self, model_name):
        return self.env[model_name] if model_name in self.env else None

    def _prm_available(self):
        """True when the model is installed and the user may read it."""
        self.ensure_one()
        Model = self._prm_model(self.model_name)
        return Model is not None and Model.check_access_rights(
            "read", raise_exception=False)

    def _prm_domain(self):
        """The tile's domain (list), evaluated for the signed-in user."""
        self.ensure_one()
        now = fields.Datetime.now()
        domain = list(safe_eval(self.domain or "[]", {
            "uid": self.env.uid, "today": fields.Date.context_today(self),
            "now": now, "datetime": datetime}))
        if self.domain_method:
            if not self.domain_method.startswith(DOMAIN_METHOD_PREFIX):
                raise UserError(_("A tile's domain method must start with %s.")
                                % DOMAIN_METHOD_PREFIX)
            domain += getattr(self.env[self.model_name], self.domain_method)()
        return domain

    def _compute_count(self):
        for tile in self:
            tile.count = self.env[tile.model_name].search_count(
                tile._prm_domain()) if tile._prm_available() else 0

    @api.model
    def _prm_visible_tiles(self):
        """The tiles the signed-in user sees: their groups (record rule) and
        an installed, readable model."""
        return self.search([]).filtered(lambda tile: tile._prm_available())

    @api.model
    def _prm_home_action(self):
        """The start page: a kanban of the user's tiles (dict of an
        ir.actions.act_window)."""
        action = self.env.ref("prm_staff_home.action_prm_home_tiles").read()[0]
        action["domain"] = [("id", "in", self._prm_visible_tiles().ids)]
        return action

    def action_open(self):
        """The filtered list behind the tile (ir.actions.act_window dict)."""
        self.ensure_one()
        if not self._prm_available():
            raise UserError(_("This list is not available to you."))
        base = self.env.ref(self.action_xmlid, raise_if_not_found=False) \
            if self.action_xmlid else None
        if base and base._name == "ir.actions.act_window" \
                and base.res_model == self.model_name:
            action = base.read()[0]
        else:
            action = {"type": "ir.actions.act_window",
                      "res_model": self.model_name, "view_mode": "tree,form",
                      "views": [(False, "tree"), (False, "form")]}
        action.update({
            "name": self.name, "display_name": self.name,
            "domain": self._prm_domain(),
            "context": dict(safe_eval(self.context or "{}"),
                            prm_home_tile=self.id),
            "target": "current",
        })
        return action
