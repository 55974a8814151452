"""Dealer notes were stored as text with the time frozen in (UTC, English).

Since 11.0.1.1.0 the answers are stored as data (``crm_lead.prm_dealer_log``)
and the notes are rendered for each reader. An old note is kept as one entry
without a time of its own (its text still carries the old UTC stamp).
"""
import json


def migrate(cr, version):
    if not version:
        return
    cr.execute("""
        SELECT 1 FROM information_schema.columns
         WHERE table_name = 'crm_lead' AND column_name = 'prm_dealer_note'
    """)
    if not cr.fetchone():
        return
    cr.execute("""
        SELECT id, prm_dealer_note FROM crm_lead
         WHERE prm_dealer_note IS NOT NULL AND prm_dealer_note != ''
           AND prm_dealer_log IS NULL
    """)
    for lead_id, note in cr.fetchall():
        cr.execute("UPDATE crm_lead SET prm_dealer_log = %s WHERE id = %s",
                   [json.dumps([{"text": note}], ensure_ascii=False), lead_id])
    cr.execute("ALTER TABLE crm_lead RENAME COLUMN prm_dealer_note "
               "TO prm_dealer_note_legacy")
