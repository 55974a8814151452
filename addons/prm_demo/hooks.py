"""Install hooks of prm_demo."""

#: Where the demo loaders and the dealers' xmlids lived before prm_demo.
FORMER_MODULES = ("prm_partner_portal", "prm_benchmark")


def pre_init_hook(cr):
    """Adopt what an earlier demo load left in this database.

    Databases built before ``prm_demo`` existed carry the loader models'
    xmlids (``ir.model``, ``ir.model.fields``) and the demo dealers' xmlids
    (``demo_dealer01`` ...) under the production addons; Odoo 11 never removes
    the former (their ``noupdate`` is NULL), so the production addons would
    keep exporting the loaders' terms. They move to ``prm_demo`` before its
    models load; the loaders then see the network and create nothing twice.
    A fresh database has none of them: nothing happens.
    """
    cr.execute("""
        UPDATE ir_model_data SET module = 'prm_demo'
         WHERE module IN %s
           AND ((model IN ('ir.model', 'ir.model.fields')
                 AND name ~ '^(model|field)_prm_(benchmark_)?demo_loader(_|$)')
                OR (model = 'res.partner' AND name LIKE 'demo\\_%%'))
    """, [FORMER_MODULES])
