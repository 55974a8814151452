from . import http_glue


def post_load():
    """Odoo's ``post_load`` hook of a server-wide module: patch the HTTP layer."""
    http_glue.install()
