"""Pure Python business logic of the inter-firm comparison (no Odoo imports)."""
