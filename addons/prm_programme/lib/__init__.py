"""Plain-Python rules of the partner programme (no Odoo imports)."""
