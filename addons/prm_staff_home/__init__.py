from . import controllers, models


def post_init_hook(cr, registry):
    """Existing supplier-side staff get the start page as home action."""
    from odoo import SUPERUSER_ID, api
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.users"].search([("share", "=", False)])._prm_sync_home_action()
