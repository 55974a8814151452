"""The message and error type of the benchmark logic: the partner portal's
(``prm_partner_portal.lib.messages``), one type for both addons."""
try:
    from odoo.addons.prm_partner_portal.lib.messages import (  # noqa: F401
        Message, PrmError, _, _plain)
except ImportError:
    # ``lib`` imported on its own, without Odoo's addons path (the import
    # check's memory-capped child process, scripts): the same file of the
    # partner portal addon next to this one.
    import importlib.util as _util
    import os as _os

    _spec = _util.spec_from_file_location("prm_partner_portal_messages", _os.path.join(
        _os.path.dirname(_os.path.dirname(_os.path.dirname(_os.path.abspath(
            __file__)))), "prm_partner_portal", "lib", "messages.py"))
    _messages = _util.module_from_spec(_spec)
    _spec.loader.exec_module(_messages)
    Message, PrmError, _, _plain = (_messages.Message, _messages.PrmError,
                                    _messages._, _messages._plain)
