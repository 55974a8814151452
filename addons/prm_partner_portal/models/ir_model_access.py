from odoo import api, models


class IrModelAccess(models.Model):
    _inherit = "ir.model.access"

    @api.model_cr
    def group_names_with_access(self, model_name, access_mode):
        """Core's list of the groups that may ``access_mode`` the model, as
        core's refusal names them ("Partner Relationship Management/PRM
        manager (head office)"), in the user's language: core reads the
        names by SQL, untranslated, so a German refusal listed English
        group names (outside review 12). Same shape: ``["Category/Group"]``.
        """
        assert access_mode in ("read", "write", "create", "unlink"), \
            "Invalid access mode"
        # sudo: only the names of the groups that hold the access, which
        # core's refusal shows to the refused user anyway
        Access = self.sudo().with_context(
            lang=self.env.lang or self.env.user.lang)
        accesses = Access.search([("model_id.model", "=", model_name),
                                  ("perm_" + access_mode, "=", True),
                                  ("group_id", "!=", False)])
        return [group.full_name for group in accesses.mapped("group_id")]
