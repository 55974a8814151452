"""Seeded generators of the demo network (plain Python, no Odoo imports).

Used by this addon's loaders and, at larger N, by ``bench/generate.py``.
"""
