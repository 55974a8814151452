"""Plain-Python business logic of the PRM core (no Odoo imports).

Kept free of the ORM so it is testable on its own and survives a port to a
newer Odoo with only the glue changing.
"""
