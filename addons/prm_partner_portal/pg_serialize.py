"""Check-then-insert under concurrency: one row serialises the requests.

A limit check or a duplicate check reads what is committed in the request's
snapshot (PostgreSQL REPEATABLE READ, Odoo's isolation); two requests at the
same moment both pass it (outside review: six invitations at once past a
limit of one more user, two registrations of one customer without a
conflict).
"""
from psycopg2 import sql


def serialize_on(cr, table, row_id):
    """Touch row ``row_id`` of ``table`` (a no-op update of ``write_date``)
    before a check that must see every committed insert of the others.

    A second request doing the same waits for the first; when the first
    commits, the second's update fails with PostgreSQL's serialization
    failure, and Odoo runs that request again on a fresh snapshot (HTTP
    routes and RPC: ``odoo.service.model.check``), where the check sees
    the first request's rows. Returns nothing; raises what ``cr.execute``
    raises.
    """
    cr.execute(sql.SQL("UPDATE {} SET write_date = write_date WHERE id = %s")
               .format(sql.Identifier(table)), [row_id])
