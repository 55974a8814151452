"""The message and error type of the benchmark logic: the partner portal's
(``prm_partner_portal.lib.messages``), one type for both addons."""
from odoo.addons.prm_partner_portal.lib.messages import (  # noqa: F401
    Message, PrmError, _, _plain)
