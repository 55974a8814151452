"""Bridge from the plain-Python errors of ``lib`` to translated Odoo errors,
and the one way to write what must survive a rollback of the request."""
import contextlib
import threading

from odoo import SUPERUSER_ID, _
from odoo.exceptions import UserError, ValidationError


def translated(error):
    """The user's-language text of a ``lib`` error (template + params)."""
    return _(error.template) % error.params


def as_validation_error(error):
    return ValidationError(translated(error))


def as_user_error(error):
    return UserError(translated(error))


@contextlib.contextmanager
def committed_env(env, lock_timeout=None):
    """A superuser environment whose writes are committed when the block
    ends, even if the request rolls back later (refused sign-ins, counted
    wrong codes): a cursor of its own. ``lock_timeout``: PostgreSQL's
    ``lock_timeout`` for that cursor (e.g. ``"5s"``; a lock wait beyond it
    raises ``psycopg2.errors.LockNotAvailable``).

    In tests (Odoo's ``testing`` thread flag) the records exist only in the
    test's transaction: ``env`` itself as superuser, nothing committed.
    """
    if getattr(threading.currentThread(), "testing", False):
        yield env(user=SUPERUSER_ID)
        return
    with env.registry.cursor() as cr:
        if lock_timeout:
            cr.execute("SET LOCAL lock_timeout = %s", [lock_timeout])
        yield env(cr=cr, user=SUPERUSER_ID)
