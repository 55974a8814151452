"""11.0.1.1.0: SMS codes and API keys are hashed through passlib.

The stored ``(salt hex, PBKDF2-SHA256 hex)`` pairs become passlib's
``$pbkdf2-sha256$…`` strings (the same function, ``lib.secret_hash
.from_legacy``), so issued API keys keep working; the salt columns go.
"""
import logging

from odoo.addons.prm_2fa_sms.lib import api_key, otp, secret_hash

_logger = logging.getLogger(__name__)

TABLES = (
    ("prm_2fa_api_key", "key_salt", "key_hash", api_key.ITERATIONS),
    ("prm_2fa_challenge", "code_salt", "code_hash", otp.ITERATIONS),
)


def migrate(cr, version):
    for table, salt_column, hash_column, rounds in TABLES:
        cr.execute("""SELECT 1 FROM information_schema.columns
                       WHERE table_name = %s AND column_name = %s""",
                   (table, salt_column))
        if not cr.fetchone():
            continue
        # Table and column names are the constants above, never input.
        select = 'SELECT id, "%s", "%s" FROM "%s"' % (salt_column, hash_column,
                                                      table)
        update = 'UPDATE "%s" SET "%s" = %%s WHERE id = %%s' % (table, hash_column)
        drop = 'ALTER TABLE "%s" DROP COLUMN "%s"' % (table, salt_column)
        cr.execute(select)  # pylint: disable=sql-injection
        for row_id, salt, digest in cr.fetchall():
            try:
                stored = secret_hash.from_legacy(salt, digest, rounds)
            except ValueError:
                stored = "!"   # unreadable: matches nothing
                _logger.info("%s %s: unreadable hash, disabled", table, row_id)
            cr.execute(update, (stored, row_id))  # pylint: disable=sql-injection
        cr.execute(drop)  # pylint: disable=sql-injection
