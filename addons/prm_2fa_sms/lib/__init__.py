"""Pure-Python rules of the SMS second factor; nothing here imports odoo."""
