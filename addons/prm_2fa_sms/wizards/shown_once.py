"""A secret shown once by a wizard, never stored (API keys, recovery codes).

A transient record is a database row: whatever a wizard writes into it
stays in the table (readable by the superuser), in backups and in the WAL
until the vacuum runs. The secret therefore travels only in the context of
the action that shows the wizard again; the wizard's field is computed from
that context (``shown_once``) and is empty for anybody reading the record
later.
"""

SHOWN_ONCE = "prm_shown_once"


def show_once_action(wizard, secret=None, name=None):
    """The window action that shows ``wizard`` again, with ``secret`` (str or
    None) in its context for this one display."""
    action = {"type": "ir.actions.act_window", "res_model": wizard._name,
              "res_id": wizard.id, "view_mode": "form", "target": "new",
              "context": {SHOWN_ONCE: {str(wizard.id): secret}} if secret else {}}
    if name:
        action["name"] = name
    return action


def shown_once(wizard):
    """The secret the current action shows for ``wizard``, or False."""
    shown = wizard.env.context.get(SHOWN_ONCE)
    value = shown.get(str(wizard.id)) if isinstance(shown, dict) else None
    return value if isinstance(value, str) and value else False
