"""Chatter scope (``chatter_scope_common``): activities of readable documents."""
from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import AccessError

from . import read_group_access


class MailActivity(models.Model):
    """A territory manager sees activities of documents they may read only.

    Core lets every employee read every activity (summary, note, deadline)
    of every document, those of foreign dealers included.
    """

    _inherit = "mail.activity"

    def _prm_document_scoped(self):
        return self.env.uid != SUPERUSER_ID and \
            self.env.user._prm_dealer_scope_restricted()

    def _prm_visible_ids(self, ids):
        """The subset of activity ``ids`` whose document the user reads."""
        self.env.cr.execute(
            "SELECT id, res_model, res_id FROM mail_activity WHERE id IN %s",
            (tuple(ids),))
        by_model = {}
        for activity_id, model, res_id in self.env.cr.fetchall():
            by_model.setdefault(model, {}).setdefault(res_id, []).append(
                activity_id)
        visible = set()
        for model, documents in by_model.items():
            if model not in self.env or not self.env[model].check_access_rights(
                    "read", raise_exception=False):
                continue
            readable = self.env[model].with_context(active_test=False).search(
                [("id", "in", list(documents))]).ids
            for document_id in readable:
                visible.update(documents[document_id])
        return visible

    @api.model
    def _search(self, args, offset=0, limit=None, order=None, count=False,
                access_rights_uid=None):
        if not self._prm_document_scoped():
            return super()._search(
                args, offset=offset, limit=limit, order=order, count=count,
                access_rights_uid=access_rights_uid)
        ids = super()._search(args, order=order,
                              access_rights_uid=access_rights_uid)
        visible = self._prm_visible_ids(ids) if ids else set()
        ids = [activity_id for activity_id in ids if activity_id in visible]
        if count:
            return len(ids)
        return ids[offset:offset + limit] if limit else ids[offset:]

    @api.multi
    def read(self, fields=None, load="_classic_read"):
        if self.ids and self._prm_document_scoped() and \
                set(self.ids) - self._prm_visible_ids(self.ids):
            raise AccessError(_("You cannot read this activity: its document is "
                                "outside your territories."))
        return super().read(fields=fields, load=load)

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None,
                   orderby=False, lazy=True):
        """Groups of the records ``search`` gives the caller:
        the chatter scope is made in ``_search`` (``read_group_access``)."""
        return super().read_group(
            read_group_access.search_domain(self, domain), fields, groupby,
            offset=offset, limit=limit, orderby=orderby, lazy=lazy)
